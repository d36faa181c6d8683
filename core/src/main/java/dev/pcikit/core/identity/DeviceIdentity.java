package dev.pcikit.core.identity;

import dev.pcikit.core.model.PciAddress;
import java.util.List;
import java.util.Optional;

/**
 * One function's fingerprint with what was read to make it: the decoded VPD (when there is any) and
 * every problem met (malformed VPD, config space not readable...), one sentence each.
 */
public record DeviceIdentity(
    PciAddress address, Fingerprint fingerprint, Optional<Vpd> vpd, List<String> findings) {
  public DeviceIdentity {
    findings = List.copyOf(findings);
  }
}
