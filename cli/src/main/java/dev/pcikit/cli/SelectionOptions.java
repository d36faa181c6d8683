package dev.pcikit.cli;

import dev.pcikit.core.inventory.Inventory;
import dev.pcikit.core.inventory.PciDevice;
import java.util.List;
import picocli.CommandLine.Option;

/** lspci-style device selection: -s [[domain:]bus:]slot.func and -d vendor:device[:class]. */
final class SelectionOptions {
  @Option(
      names = "-s",
      paramLabel = "[[DOMAIN:]BUS:]SLOT[.FUNC]",
      description = "Only devices in this slot (lspci syntax; parts may be omitted or '*')")
  String slot;

  @Option(
      names = "-d",
      paramLabel = "[VENDOR]:[DEVICE][:CLASS[:PROGIF]]",
      description =
          "Only devices with these IDs (lspci syntax, hexadecimal; class digits may be x)")
  String ids;

  /** The devices both selectors match (a malformed selector is a usage error). */
  List<PciDevice> select(Inventory inv) {
    return inv.select(slot, ids);
  }
}
