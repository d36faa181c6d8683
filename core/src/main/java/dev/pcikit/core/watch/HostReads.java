package dev.pcikit.core.watch;

import dev.pcikit.core.host.Host;
import java.util.function.Function;

/**
 * How the watcher reads the host: runs a scan on the host as it is now. A live system root just
 * applies it ({@link #of}); a front end serving a simulated host whose state file another process
 * may rewrite reloads that file first and serialises reads of the simulated kernel.
 */
@FunctionalInterface
public interface HostReads {
  /** Runs {@code scan} on the current host. */
  HostState read(Function<Host, HostState> scan);

  /**
   * Whether the host may have changed since the last {@link #read}; a periodic rescan is skipped
   * when not. A simulated host changes only when its state file does, so a front end that tracks
   * the file can spare the periodic reads (and the lock they take); a live system can change at any
   * time (the default).
   */
  default boolean mayHaveChanged() {
    return true;
  }

  /** Reads straight from {@code host}. */
  static HostReads of(Host host) {
    return scan -> scan.apply(host);
  }
}
