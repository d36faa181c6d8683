package dev.pcikit.core.vfio;

import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.modalias.AliasIndex;
import dev.pcikit.core.modalias.PciModalias;
import dev.pcikit.core.modalias.VfioChoice;
import dev.pcikit.core.sysfs.Sysfs;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The VFIO driver from the kernel's module aliases: the matching {@code vfio_pci:} alias with the
 * fewest '*' ({@link AliasIndex#chooseVfio}); module {@code vfio_pci} is driver {@code vfio-pci},
 * variant modules are drivers of the same name (mlx5_vfio_pci...). The index is loaded on first
 * use; when it cannot be (no modules.alias under the root), the generic vfio-pci is used and the
 * reason says so.
 */
public final class AliasVfioChooser implements VfioDriverChooser {
  private final Sysfs sysfs;
  private final Supplier<AliasIndex> loader;
  private AliasIndex index;
  private String unavailable;

  public AliasVfioChooser(Sysfs sysfs, Supplier<AliasIndex> loader) {
    this.sysfs = sysfs;
    this.loader = loader;
  }

  private void load() {
    if (index == null && unavailable == null) {
      try {
        index = loader.get();
      } catch (PcikitException e) {
        unavailable = e.getMessage();
      }
    }
  }

  /** A module with a {@code vfio_pci:} alias in the host's modules.alias, or an in-tree one. */
  @Override
  public boolean isVariantModule(String module) {
    load();
    return VfioDriverPolicy.IN_TREE_VARIANTS.contains(module)
        || (index != null && index.vfioPciModules().contains(module));
  }

  @Override
  public Choice choose(DeviceFacts device) {
    load();
    if (index == null) {
      return new Choice(
          "vfio-pci", "generic vfio-pci: module aliases unavailable (" + unavailable + ")");
    }
    VfioChoice c =
        index.chooseVfio(PciModalias.read(sysfs, device.address()).value(), Optional.empty());
    String module = c.chosen().orElse("vfio_pci");
    return new Choice(module.equals("vfio_pci") ? "vfio-pci" : module, c.reason());
  }
}
