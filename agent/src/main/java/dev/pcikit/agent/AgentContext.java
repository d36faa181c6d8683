package dev.pcikit.agent;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.host.LockedHost;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What route groups share: the host, the documents, the writer (operations, lock, audit), and
 * listeners told of every write. One per agent.
 */
public final class AgentContext {
  private final AgentConfig config;
  private final HostView host;
  private final Docs docs;
  private final Operations operations = new Operations();
  private final Audit audit;
  private final List<WriteListener> listeners = new CopyOnWriteArrayList<>();
  private AgentWatch watch;

  AgentContext(AgentConfig config, HostView host, Audit audit) {
    this.config = config;
    this.host = host;
    this.docs = new Docs(config.pciIds(), config.root());
    this.audit = audit;
  }

  public AgentConfig config() {
    return config;
  }

  public HostView host() {
    return host;
  }

  /** The documents of the read routes (as the CLI's -o json). */
  Docs docs() {
    return docs;
  }

  public Operations operations() {
    return operations;
  }

  public Audit audit() {
    return audit;
  }

  /** The event log, the watcher and the metrics (events and metrics routes). */
  public AgentWatch watch() {
    return watch;
  }

  /** Attaches the watcher (before serving): it hears every write. */
  void watch(AgentWatch w) {
    this.watch = w;
    onWrite(w);
  }

  /** Registers a listener told of every finished write (metrics, events). */
  public void onWrite(WriteListener l) {
    listeners.add(l);
  }

  void written(String op, boolean dryRun, Duration took, Reply reply) {
    String failure = null;
    if (reply.status() >= 400) {
      try {
        failure = Json.read(reply.body()).path("failure").asString(null);
      } catch (RuntimeException e) {
        failure = null;
      }
    }
    List<String> rules = "REFUSED".equals(failure) ? refusalRules(reply) : List.of();
    for (WriteListener l : listeners) {
      l.written(op, dryRun, took, reply.status(), failure);
      if (!rules.isEmpty()) {
        l.refused(op, rules);
      }
    }
  }

  /**
   * The rule of each refusal in a refusal's problem document (MOUNTED, BOOT_VGA...); a refusal
   * without per-device rules (a partial IOMMU group) counts once under its remedy.
   */
  private static List<String> refusalRules(Reply reply) {
    List<String> rules = new java.util.ArrayList<>();
    try {
      tools.jackson.databind.JsonNode p = Json.read(reply.body());
      for (tools.jackson.databind.JsonNode r : p.path("refusals")) {
        rules.add(r.path("rule").asString("UNKNOWN"));
      }
      if (rules.isEmpty()) {
        rules.add(p.path("remedy").asString("REFUSED"));
      }
    } catch (RuntimeException e) {
      rules.add("REFUSED"); // not a problem document
    }
    return rules;
  }

  /** The work of one write, under the host lock. */
  @FunctionalInterface
  public interface LockedWork {
    Reply run(LockedHost locked) throws IOException;
  }

  /**
   * Runs {@code work} under the host lock (which recovers first), as the CLI's write commands do;
   * caches are invalidated afterwards whatever happened. Call on the writer thread only.
   */
  Reply locked(LockedWork work) {
    try (LockedHost locked = host.forWriting().lock(Limits.LOCK_WAIT)) {
      return work.run(locked);
    } catch (IOException e) {
      throw new PcikitException(Failure.KERNEL_REFUSED, e.getMessage(), e);
    } catch (UncheckedIOException e) {
      throw new PcikitException(Failure.KERNEL_REFUSED, e.getCause().getMessage(), e);
    } finally {
      host.changed();
    }
  }

  void close() throws InterruptedException {
    operations.close();
    if (watch != null) {
      watch.close();
    }
  }

  /** For tests: how long a synchronous write waits before answering 202. */
  static final Duration SYNC_WAIT = Duration.ofSeconds(5);
}
