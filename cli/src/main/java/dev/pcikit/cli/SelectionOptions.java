package dev.pcikit.cli;

import dev.pcikit.core.error.ExitCode;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.inventory.DeviceFilter;
import dev.pcikit.core.inventory.Inventory;
import dev.pcikit.core.inventory.PciDevice;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
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
      paramLabel = "[VENDOR]:[DEVICE][:CLASS]",
      description = "Only devices with these IDs (lspci syntax, hexadecimal)")
  String ids;

  List<PciDevice> select(Inventory inv) {
    Predicate<PciDevice> p = d -> true;
    try {
      if (slot != null) {
        p = p.and(DeviceFilter.slot(slot));
      }
      if (ids != null) {
        p = p.and(DeviceFilter.ids(ids));
      }
    } catch (IllegalArgumentException e) {
      throw new PcikitException(ExitCode.USAGE, e.getMessage());
    }
    List<PciDevice> out = new ArrayList<>();
    for (PciDevice d : inv.devices()) {
      if (p.test(d)) {
        out.add(d);
      }
    }
    return out;
  }
}
