package dev.pcikit.fleet;

import java.io.IOException;
import java.sql.SQLException;
import java.util.List;

/**
 * Collects one host while its collector holds the host's lease: catch-up (events since the last
 * stored sequence and the inventory), then the live feed; on an agent failure the host is marked
 * unreachable and contact is tried again with a backoff (0.5 s doubling to 5 s).
 */
final class Worker {
  private final Collector collector;
  private final AgentsFile.Agent agent;
  private final Thread thread;
  private volatile boolean stopped;
  private volatile Source.Feed feed;

  Worker(Collector collector, AgentsFile.Agent agent) {
    this.collector = collector;
    this.agent = agent;
    this.thread = new Thread(this::run, "pcikit-collect " + agent.name());
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  void stop() {
    stopped = true;
    thread.interrupt();
    closeFeed();
  }

  void stopAndWait() {
    stop();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    String host = agent.name();
    String owner = collector.id();
    long backoff = 500;
    boolean unreachable = false;
    while (!stopped) {
      try {
        Source source = Collector.source(agent, collector.options().agentTimeoutMillis());
        long last = collector.pool().with(c -> Loader.lastSeq(c, host));
        AgentEvent.Page page = source.eventsSince(last);
        List<DeviceRow> rows = InventoryDoc.parse(source.inventory());
        Loader.Result r =
            collector
                .pool()
                .with(c -> Loader.apply(c, host, rows, page.events(), 0, owner, page.restarted()));
        if (unreachable) {
          collector.log(host + ": answering again");
          unreachable = false;
        }
        collector.log(host + ": inventory stored (" + describe(r) + ")");
        storeCheck(source, host, owner);
        if (page.restarted()) {
          collector.log(host + ": the agent restarted (its events are numbered anew)");
        }
        last = page.restarted() ? page.lastSeq() : Math.max(last, page.lastSeq());
        backoff = 500;
        feed = source.feed(last);
        while (!stopped) {
          List<AgentEvent> batch = feed.next(1000);
          if (batch == null) {
            continue;
          }
          List<DeviceRow> after = InventoryDoc.parse(source.inventory());
          Loader.Result b =
              collector.pool().with(c -> Loader.apply(c, host, after, batch, 0, owner, false));
          if (b.added() + b.changed() + b.removed() + b.events() > 0) {
            collector.log(host + ": " + batch.size() + " events stored (" + describe(b) + ")");
          }
          storeCheck(source, host, owner);
        }
      } catch (SseFeed.Resync e) {
        collector.log(host + ": " + e.getMessage());
        continue;
      } catch (IOException e) {
        if (stopped) {
          break;
        }
        String why = e.getMessage() != null ? e.getMessage() : e.toString();
        if (!unreachable) {
          collector.log(host + ": unreachable: " + why);
        }
        unreachable = true;
        try {
          collector
              .pool()
              .with(
                  c -> {
                    Loader.markUnreachable(c, host, why, owner);
                    return null;
                  });
        } catch (SQLException | RuntimeException ignored) {
          // the database is away too: the next round marks it
        }
      } catch (SQLException e) {
        collector.log(host + ": database: " + FleetDatabase.oneLine(e.getMessage()));
      } catch (FleetException e) {
        if (e.kind() == FleetException.Kind.NOT_FOUND) {
          collector.log(host + ": " + e.getMessage() + "; stopping");
          break; // lease lost: the collector's next tick reconciles
        }
        collector.log(host + ": " + e.getMessage());
      } finally {
        closeFeed();
      }
      if (!stopped) {
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException ie) {
          break;
        }
        backoff = Math.min(backoff * 2, 5000);
      }
    }
  }

  /**
   * The readiness check next to the inventory (for the exports); a bad one is logged, not fatal.
   */
  private void storeCheck(Source source, String host, String owner)
      throws IOException, SQLException {
    byte[] check = source.check();
    if (check == null) {
      return;
    }
    try {
      collector
          .pool()
          .with(
              c -> {
                Loader.storeReadiness(c, host, check, owner);
                return null;
              });
    } catch (FleetException e) {
      collector.log(host + ": " + e.getMessage());
    }
  }

  private static String describe(Loader.Result r) {
    return r.added()
        + " added, "
        + r.changed()
        + " changed, "
        + r.removed()
        + " removed, "
        + r.events()
        + " events";
  }

  private void closeFeed() {
    Source.Feed f = feed;
    if (f != null) {
      try {
        f.close();
      } catch (IOException ignored) {
        // closing
      }
    }
  }
}
