package dev.pcikit.sim;

import java.util.List;
import java.util.Set;

/**
 * A PCI driver the simulated kernel knows: its name under {@code /sys/bus/pci/drivers}, the module
 * that provides it (empty for built-in drivers), its behaviour flags, and the modalias patterns of
 * its ID table ({@code pci:v...} as in modules.alias; {@code vfio_pci:v...} patterns are
 * "override-only" entries, matched only through driver_override, as PCI_DRIVER_OVERRIDE_DEVICE_VFIO
 * in drivers/pci/pci-driver.c).
 */
public record DriverSpec(String name, String module, Set<Flag> flags, List<String> aliases) {

  public enum Flag {
    /** driver_managed_dma: binding does not claim the IOMMU group (pcieport, pci-stub). */
    MANAGED_DMA,
    /** Has sriov_configure: writing sriov_numvfs works while it is bound. */
    SRIOV,
    /** A VFIO driver: makes /dev/vfio/N, refuses PFs with VFs, honours enable_sriov. */
    VFIO
  }

  public DriverSpec {
    flags = Set.copyOf(flags);
    aliases = List.copyOf(aliases);
  }

  public boolean has(Flag f) {
    return flags.contains(f);
  }

  public boolean builtin() {
    return module.isEmpty();
  }

  /** Whether a normal (non-override) ID table entry matches the device modalias. */
  public boolean matchesModalias(String modalias) {
    for (String a : aliases) {
      if (a.startsWith("pci:") && Glob.matches(a, modalias)) {
        return true;
      }
    }
    return false;
  }

  /** Whether an override-only entry ({@code vfio_pci:...}) matches the device. */
  public boolean matchesOverrideOnly(String modalias) {
    for (String a : aliases) {
      int colon = a.indexOf(':');
      if (!a.startsWith("pci:") && colon > 0) {
        if (Glob.matches(a.substring(colon), modalias.substring(modalias.indexOf(':')))) {
          return true;
        }
      }
    }
    return false;
  }
}
