package dev.pcikit.cli;

import dev.pcikit.core.ids.DeviceNames;
import dev.pcikit.core.ids.PciIdsLocator;
import dev.pcikit.core.inventory.Inventory;
import dev.pcikit.core.inventory.InventoryReader;
import dev.pcikit.core.inventory.PciDevice;
import dev.pcikit.core.inventory.Problem;
import java.io.PrintWriter;
import java.util.HashSet;
import java.util.Set;

/** Reads the inventory of the host the global options name, and names for its devices. */
final class HostAccess {
  private HostAccess() {}

  /** The inventory with config headers only (what listings need; cheap on real hardware). */
  static Inventory inventory(GlobalOptions global) {
    return inventory(global, InventoryReader.Detail.LISTING);
  }

  static Inventory inventory(GlobalOptions global, InventoryReader.Detail detail) {
    return global.host().inventory(detail);
  }

  /** Loads only the vendors present: a few dozen of pci.ids' ~2,500. */
  static DeviceNames names(GlobalOptions global, Inventory inv) {
    Set<Integer> vendors = new HashSet<>();
    for (PciDevice d : inv.devices()) {
      vendors.add(d.vendor());
      vendors.add(d.subsystemVendor());
    }
    return new DeviceNames(PciIdsLocator.load(global.pciIds, global.systemRoot(), vendors));
  }

  /**
   * Says once, on stderr, where device names would come from when no pci.ids database is there (a
   * fresh machine without pciutils' ids shows "Device [8086:0d57]" for everything).
   */
  static void noteMissingNames(GlobalOptions global, PrintWriter err) {
    if (global.pciIds == null) {
      missingNamesNote(PciIdsLocator.find(global.systemRoot()).isPresent())
          .ifPresent(n -> err.println("pcikit: note: " + n));
      err.flush();
    }
  }

  /** The note for a host whose pci.ids was (not) found. */
  static java.util.Optional<String> missingNamesNote(boolean found) {
    if (found) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(
        "no pci.ids database ("
            + String.join(", ", dev.pcikit.core.ids.PciIds.STANDARD_LOCATIONS)
            + "): devices are shown by their numeric IDs; install it (Debian: apt-get install"
            + " pci.ids) or name one with --pci-ids FILE");
  }

  /**
   * The module aliases of the host's kernel, or empty (with the reason on stderr) when its
   * modules.alias cannot be had: module candidates are extra information in listings.
   */
  static java.util.Optional<dev.pcikit.core.modalias.AliasIndex> aliases(
      GlobalOptions global, PrintWriter err) {
    try {
      return java.util.Optional.of(global.host().moduleAliases());
    } catch (dev.pcikit.core.error.PcikitException e) {
      err.println("pcikit: note: no module candidates: " + e.getMessage());
      return java.util.Optional.empty();
    }
  }

  /** Host modules for a device's modalias, as modprobe -R would list them, without repeats. */
  static java.util.List<String> modules(
      java.util.Optional<dev.pcikit.core.modalias.AliasIndex> aliases, PciDevice d) {
    if (aliases.isEmpty() || d.modalias().isEmpty()) {
      return java.util.List.of();
    }
    return aliases.get().modulesFor(d.modalias().get()).stream().distinct().toList();
  }

  /**
   * Prints each problem once on stderr ("pcikit: 0000:01:00.0: config: truncated") and returns the
   * exit code: PARTIAL when something could not be read; notes are summarised in one line.
   */
  static int reportProblems(Inventory inv, PrintWriter err) {
    int notes = 0;
    String firstNote = null;
    java.util.List<String> problems = new java.util.ArrayList<>();
    for (Problem p : inv.allProblems()) {
      if (p.severity() == Problem.Severity.NOTE) {
        notes++;
        if (firstNote == null) {
          firstNote = p.message();
        }
        continue;
      }
      problems.add(p.toString());
    }
    Capped.print(err, "", problems, "problems");
    if (notes == 1) {
      err.println("pcikit: note: " + firstNote);
    } else if (notes > 1) {
      err.println(
          "pcikit: note: " + notes + " devices: " + firstNote.replace("64 bytes", "only 64 bytes"));
    }
    err.flush();
    return inv.incomplete() ? ExitCode.PARTIAL.code() : 0;
  }
}
