package dev.pcikit.agent;

import dev.pcikit.core.host.Host;
import tools.jackson.databind.node.ObjectNode;

/**
 * TEMPORARY adapter: the documents the CLI prints with {@code -o json}, until they move from the
 * cli module into {@code formats} (issue 12); then the agent builds them itself and this goes.
 */
public interface DocumentSource {
  /** {@code pcikit list -o json [-s SLOT] [-d IDS]} on {@code host}; null selectors are absent. */
  ObjectNode devices(Host host, String slot, String ids);

  /** {@code pcikit recover -o json}: what recovery did. */
  ObjectNode recovered(java.util.List<dev.pcikit.core.host.Recovery.Recovered> done);
}
