package dev.pcikit.cli;

import dev.pcikit.core.inventory.Inventory;
import dev.pcikit.core.inventory.PciDevice;
import dev.pcikit.core.model.DeviceSelector;
import java.util.ArrayList;
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
    List<DeviceSelector> sel = new ArrayList<>();
    if (slot != null) {
      sel.add(DeviceSelector.slot(slot));
    }
    if (ids != null) {
      sel.add(DeviceSelector.ids(ids));
    }
    List<PciDevice> out = new ArrayList<>();
    for (PciDevice d : inv.devices()) {
      if (sel.stream().allMatch(s -> matches(s, d))) {
        out.add(d);
      }
    }
    return out;
  }

  static boolean matches(DeviceSelector s, PciDevice d) {
    return s.matches(d.address(), d.vendor(), d.device(), d.classCode());
  }
}
