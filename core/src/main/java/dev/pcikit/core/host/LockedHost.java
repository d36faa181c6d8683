package dev.pcikit.core.host;

import dev.pcikit.core.sriov.SriovPools;
import dev.pcikit.core.vfio.HostLock;
import dev.pcikit.core.vfio.VfioEngine;
import dev.pcikit.core.vfio.VfioEnvironment;
import java.io.IOException;
import java.util.List;

/**
 * A host opened for writing: its lock is held and any interrupted operation has been recovered
 * ({@link #recovered()}). Closing it saves what the host needs saved (a simulated host's state),
 * then releases the lock. Use it in try-with-resources.
 */
public final class LockedHost implements AutoCloseable {

  /** What a host does when its writer closes, while the lock is still held. */
  @FunctionalInterface
  public interface OnClose {
    /** Saves state; called once, also when the writer failed part-way. */
    void run() throws IOException;
  }

  private final Host host;
  private final HostLock lock;
  private final OnClose onClose;
  private List<Recovery.Recovered> recovered = List.of();
  private boolean closed;

  private LockedHost(Host host, HostLock lock, OnClose onClose) {
    this.host = host;
    this.lock = lock;
    this.onClose = onClose;
  }

  /**
   * Takes {@code host}'s lock and runs {@link Recovery}; for {@link Host} implementations. On any
   * failure the lock is released again.
   *
   * @param host the host as seen under the lock
   * @param lock the lock, already acquired
   * @param onClose run before the lock is released
   */
  public static LockedHost recovered(Host host, HostLock lock, OnClose onClose) throws IOException {
    LockedHost locked = new LockedHost(host, lock, onClose);
    try {
      locked.recovered = Recovery.run(host.vfioEnvironment());
      return locked;
    } catch (IOException | RuntimeException e) {
      try {
        locked.close();
      } catch (IOException | RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** The host, as read and written under the lock. */
  public Host host() {
    return host;
  }

  /** What recovery finished or undid when the lock was taken; empty when nothing was pending. */
  public List<Recovery.Recovered> recovered() {
    return recovered;
  }

  /** The binding engine on this host. */
  public VfioEngine vfio() {
    return new VfioEngine(host.vfioEnvironment());
  }

  /** The SR-IOV pools of this host. */
  public SriovPools sriov() {
    return new SriovPools(host.vfioEnvironment());
  }

  /** The engine environment of this host (for callers that build their own engine). */
  public VfioEnvironment environment() {
    return host.vfioEnvironment();
  }

  /** Saves the host's state (when it has any) and releases the lock. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      onClose.run();
    } finally {
      lock.close();
    }
  }
}
