package dev.pcikit.core.watch;

import dev.pcikit.core.model.PciAddress;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One change between two {@link HostState}s, before the {@link EventLog} numbers it.
 *
 * @param address the function concerned; for a group change, the group's lowest member
 * @param fingerprint that function's identity when known (also for a removed function: the last one
 *     read)
 * @param details type-specific facts as a JSON-ready map (strings, numbers, booleans, null, lists
 *     of strings), in a stable key order
 */
public record Change(
    EventType type, PciAddress address, Optional<String> fingerprint, Map<String, Object> details) {
  public Change {
    details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }
}
