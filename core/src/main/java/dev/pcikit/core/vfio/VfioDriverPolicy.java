package dev.pcikit.core.vfio;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.error.Remedy;
import dev.pcikit.core.modalias.KmodNames;
import java.util.Set;

/**
 * Which drivers pcikit binds to: only VFIO drivers, so that everything it binds it can release
 * again ({@code vfio release} leaves a device on any other driver alone). A driver a caller names
 * (a bind request, a persisted binding) is accepted when it is
 *
 * <ul>
 *   <li>{@code vfio-pci} (drivers/vfio/pci/vfio_pci.c, {@code .name = "vfio-pci"}), or
 *   <li>a module with a {@code vfio_pci:} alias in the host's modules.alias: modpost writes that
 *       prefix only for ID-table entries made with PCI_DRIVER_OVERRIDE_DEVICE_VFIO
 *       (include/linux/pci.h, scripts/mod/file2alias.c), i.e. VFIO PCI variant drivers, or
 *   <li>one of the kernel's in-tree vfio-pci-core users (drivers/vfio/pci/{@literal *}/Makefile;
 *       each driver's name is its KBUILD_MODNAME), for hosts whose aliases cannot be read.
 * </ul>
 *
 * The name is returned in the kernel's spelling: a variant driver is named after its module (dashes
 * become underscores), so {@code driver_override} matches it.
 */
public final class VfioDriverPolicy {
  private VfioDriverPolicy() {}

  /** vfio-pci's variant drivers in Linux 6.1 to 6.18 (all select/depend on VFIO_PCI_CORE). */
  public static final Set<String> IN_TREE_VARIANTS =
      Set.of(
          "mlx5_vfio_pci",
          "hisi_acc_vfio_pci",
          "pds_vfio_pci",
          "virtio_vfio_pci",
          "nvgrace_gpu_vfio_pci",
          "qat_vfio_pci",
          "xe_vfio_pci",
          "ism_vfio_pci");

  /** Answers whether a module (normalised name) registers as a VFIO PCI variant driver. */
  public interface VariantModules {
    boolean isVariant(String module);

    VariantModules IN_TREE = IN_TREE_VARIANTS::contains;
  }

  /**
   * The driver's kernel name when it is a VFIO driver; otherwise a usage error ({@link
   * Remedy#NAME_VFIO_DRIVER}: the front end says how a driver is named).
   */
  public static String accept(String requested, VariantModules variants) {
    String module = requested == null ? "" : KmodNames.normalizeModuleName(requested.strip());
    if (module.equals("vfio_pci")) {
      return "vfio-pci";
    }
    if (module.matches("[A-Za-z0-9_]{1,64}")
        && (IN_TREE_VARIANTS.contains(module) || variants.isVariant(module))) {
      return module;
    }
    throw new PcikitException(
        Failure.INVALID_ARGUMENT,
        Remedy.NAME_VFIO_DRIVER,
        "'"
            + requested
            + "' is not a VFIO driver; pcikit binds only vfio-pci and VFIO PCI variant drivers"
            + " (modules with a vfio_pci: alias, e.g. mlx5_vfio_pci)");
  }
}
