package dev.pcikit.fleet;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;

/**
 * A few database connections shared by a collector's workers: at most {@code size} open, a broken
 * one is dropped and opened again on the next use (the database restarted).
 */
final class Pool implements AutoCloseable {
  private final FleetDatabase db;
  private final BlockingQueue<Connection> idle;
  private final Semaphore permits;

  Pool(FleetDatabase db, int size) {
    this.db = db;
    this.idle = new ArrayBlockingQueue<>(size);
    this.permits = new Semaphore(size);
  }

  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  <T> T with(Work<T> w) throws SQLException {
    try {
      permits.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted");
    }
    Connection c = null;
    try {
      c = idle.poll();
      if (c == null || c.isClosed()) {
        c = db.connectPlain();
      }
      T t = w.run(c);
      idle.offer(c);
      c = null;
      return t;
    } finally {
      if (c != null) {
        try {
          c.close(); // failed: it may be broken, open a new one next time
        } catch (SQLException ignored) {
          // broken anyway
        }
      }
      permits.release();
    }
  }

  @Override
  public void close() {
    for (Connection c; (c = idle.poll()) != null; ) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // closing
      }
    }
  }
}
