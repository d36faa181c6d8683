package dev.pcikit.core.reset;

import dev.pcikit.core.config.ConfigDecoder;
import dev.pcikit.core.config.ConfigSpace;
import dev.pcikit.core.inventory.Inventory;
import dev.pcikit.core.inventory.PciDevice;
import dev.pcikit.core.model.PciAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * How a device can be reset between guests, and what else a reset would hit.
 *
 * <p>Function-level methods reset only the function: {@code flr}, {@code af_flr}, {@code pm},
 * {@code acpi}, {@code device_specific} (drivers/pci/pci.c pci_reset_fn_methods). Otherwise only a
 * secondary bus or slot reset is left: the kernel's {@code bus} method (offered only when the
 * device is alone on its bus, pci_parent_bus_reset) or VFIO's hot reset (VFIO_DEVICE_PCI_HOT_RESET,
 * which resets the whole bus below the parent bridge and needs every affected device owned by the
 * same user). The blast radius is every other function below the parent bridge. A function of it on
 * a host driver would be reset under the host: blocking.
 *
 * @param methods the kernel's reset_method, empty when not published
 * @param flr whether DevCap advertises FLR
 * @param functionLevel whether a function-level reset exists
 * @param parent the bridge whose secondary bus a bus reset would reset; empty on a root bus
 * @param blastRadius the other functions below that bridge
 * @param hostVictims those of them on a host driver (not VFIO, pci-stub or none; bridges excepted)
 * @param quirk a listed known-bad model
 */
public record ResetReadiness(
    Optional<List<String>> methods,
    boolean flr,
    boolean functionLevel,
    Optional<PciAddress> parent,
    List<PciAddress> blastRadius,
    List<String> hostVictims,
    Optional<KnownResetQuirks.Quirk> quirk) {

  private static final Set<String> FUNCTION_LEVEL =
      Set.of("flr", "af_flr", "pm", "acpi", "device_specific");

  public static ResetReadiness of(Inventory inv, PciDevice d) {
    ConfigSpace c = ConfigDecoder.decode(d.config());
    boolean flr = c.flrCapable();
    boolean fl =
        d.resetMethods().isPresent()
            ? d.resetMethods().get().stream().anyMatch(FUNCTION_LEVEL::contains)
            : flr;
    List<PciAddress> radius = new ArrayList<>();
    List<String> victims = new ArrayList<>();
    Optional<PciDevice> parent = d.parent().flatMap(inv::device);
    if (parent.isPresent()) {
      String below = parent.get().devicePath() + "/";
      for (PciDevice o : inv.devices()) {
        if (!o.address().equals(d.address()) && o.devicePath().startsWith(below)) {
          radius.add(o.address());
          String drv = o.driver().orElse(null);
          // functions of the device's own IOMMU group go to the guest with it anyway
          boolean samGroup = d.iommuGroup().isPresent() && d.iommuGroup().equals(o.iommuGroup());
          if (!samGroup
              && !o.isBridge()
              && drv != null
              && !PciDevice.isVfioDriver(drv)
              && !drv.equals("pci-stub")) {
            victims.add(o.address() + " (" + drv + ")");
          }
        }
      }
    }
    return new ResetReadiness(
        d.resetMethods(),
        flr,
        fl,
        parent.map(PciDevice::address),
        radius,
        victims,
        KnownResetQuirks.find(d.vendor(), d.device()));
  }

  /**
   * Whether the only reset left is a bus or slot reset (none at function level, a parent bridge).
   */
  public boolean onlyBusReset() {
    return !functionLevel && parent.isPresent();
  }
}
