package dev.pcikit.fleet;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/** Where one host's inventory comes from: its agent, or an inventory document on disk. */
interface Source {
  /** The host's whole inventory (pcikit/inventory/v1). */
  byte[] inventory() throws IOException;

  /** The host's readiness check (pcikit/check/v1), or null when the source has none. */
  byte[] check() throws IOException;

  /** The events after {@code seq} the source still has. */
  AgentEvent.Page eventsSince(long seq) throws IOException;

  /** Live changes after {@code seq}. */
  Feed feed(long seq) throws IOException;

  /** Live changes: events as they come, or only a signal that something changed. */
  interface Feed extends Closeable {
    /**
     * Waits up to {@code waitMillis} for a change; returns the events (empty when none came), or
     * null when nothing changed. An IOException means the feed broke (reconnect).
     */
    List<AgentEvent> next(long waitMillis) throws IOException;
  }
}
