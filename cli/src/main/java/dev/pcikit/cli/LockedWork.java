package dev.pcikit.cli;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.host.Host;
import dev.pcikit.core.host.LockedHost;
import dev.pcikit.core.host.Recovery;
import dev.pcikit.core.io.InputFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * A write command's frame: the host the global options name (with --state-dir), opened for writing
 * with {@link Host#lock} — which takes the lock and recovers any interrupted operation — then the
 * command's work, then the host closed (a simulated host saved) and the lock released.
 */
final class LockedWork {
  private LockedWork() {}

  /** The host of the global options, its state directory replaced when --state-dir is given. */
  static Host host(GlobalOptions global, VfioOptions options) {
    if (options.lockTimeout < 0) {
      throw new PcikitException(
          Failure.INVALID_ARGUMENT,
          "--lock-timeout takes 0 or more seconds, not " + options.lockTimeout);
    }
    Host h = global.host();
    h = options.stateDir == null ? h : h.withLayout(h.layout().withStateDir(options.stateDir));
    // a file where a directory is expected: a usage error naming it, not an I/O error later
    InputFiles.requireDirectoryPath(h.layout().stateDir(), "state directory");
    InputFiles.requireDirectoryPath(h.layout().runDir(), "lock directory");
    InputFiles.requireDirectoryPath(h.layout().etcDir(), "etc directory");
    return h;
  }

  /** The work done under the lock. */
  interface Work<T> {
    T run(LockedHost host) throws IOException;
  }

  static <T> T run(GlobalOptions global, VfioOptions options, PrintWriter err, Work<T> work) {
    Host host = host(global, options);
    try (LockedHost locked = host.lock(Duration.ofSeconds(options.lockTimeout))) {
      for (Recovery.Recovered r : locked.recovered()) {
        err.println("pcikit: recovered: " + r.summary());
      }
      err.flush();
      return work.run(locked);
    } catch (IOException e) {
      throw new PcikitException(Failure.KERNEL_REFUSED, e.getMessage(), e);
    } catch (UncheckedIOException e) {
      throw new PcikitException(Failure.KERNEL_REFUSED, e.getCause().getMessage(), e);
    }
  }
}
