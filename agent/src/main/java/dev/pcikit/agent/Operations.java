package dev.pcikit.agent;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * Runs writes one at a time on one thread (the agent never interleaves its own writes, and only one
 * of its threads ever holds the host lock file open: fcntl locks belong to the process) and
 * remembers the last {@link #KEPT} operations for polling. At most {@link #QUEUE} writes wait; more
 * are refused with LOCKED (503, Retry-After).
 */
public final class Operations implements AutoCloseable {
  static final int KEPT = 256;
  static final int QUEUE = 64;

  private final SecureRandom random = new SecureRandom();
  private final ThreadPoolExecutor writer =
      new ThreadPoolExecutor(
          1,
          1,
          0,
          TimeUnit.SECONDS,
          new ArrayBlockingQueue<>(QUEUE),
          r -> {
            Thread t = new Thread(r, "pcikit-agent-writer");
            t.setDaemon(true);
            return t;
          });

  private final Map<String, Operation> kept =
      new LinkedHashMap<>() {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Operation> eldest) {
          return size() > KEPT && eldest.getValue().reply() != null;
        }
      };

  /**
   * Queues a write; {@code work} runs on the writer thread and returns the reply (a document or a
   * problem); {@code done} is called with it (the audit line) before the result is visible.
   */
  public Operation submit(
      String what, JsonNode request, Supplier<Reply> work, BiConsumer<Operation, Reply> done) {
    byte[] b = new byte[8];
    random.nextBytes(b);
    Operation op = new Operation(HexFormat.of().formatHex(b), what, request);
    synchronized (kept) {
      kept.put(op.id(), op);
    }
    try {
      writer.execute(
          () -> {
            op.running();
            Reply r;
            try {
              r = work.get();
            } catch (PcikitException e) {
              r = Problems.of(e);
            } catch (RuntimeException | Error e) {
              java.util.logging.Logger.getLogger(Operations.class.getName())
                  .log(java.util.logging.Level.WARNING, what, e);
              r = Problems.of(500, Failure.INTERNAL.name(), "internal error (see the agent's log)");
            }
            // audited before anyone can see the result
            try {
              done.accept(op, r);
            } finally {
              op.finish(r);
            }
            if (!writer.getQueue().isEmpty()) {
              // the next write would take the host lock again at once: a CLI polling for it
              // (every 20 ms, HostLock) would starve behind a busy agent
              pause(Limits.WRITE_GAP.toMillis());
            }
          });
    } catch (RejectedExecutionException e) {
      synchronized (kept) {
        kept.remove(op.id());
      }
      throw new PcikitException(
          Failure.LOCKED, QUEUE + " writes are already waiting; try again later");
    }
    return op;
  }

  private static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public Optional<Operation> find(String id) {
    synchronized (kept) {
      return Optional.ofNullable(kept.get(id));
    }
  }

  @Override
  public void close() throws InterruptedException {
    writer.shutdown();
    writer.awaitTermination(60, TimeUnit.SECONDS);
  }
}
