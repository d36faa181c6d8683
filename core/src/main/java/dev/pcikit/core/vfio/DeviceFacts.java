package dev.pcikit.core.vfio;

import dev.pcikit.core.model.PciAddress;
import java.util.List;
import java.util.Locale;

/**
 * The few facts about a device that binding needs. Read by {@link DeviceReader}; meant to be
 * replaced by the inventory's device model once it exists.
 */
public record DeviceFacts(
    PciAddress address,
    int vendor,
    int device,
    int classCode,
    Binding binding,
    Integer iommuGroup,
    List<PciAddress> groupMembers,
    boolean bootVga,
    int numVfs,
    List<PciAddress> virtfns,
    PciAddress physfn) {

  /** PCI-to-PCI bridges (0x0604), semi-transparent (0x0609) and CardBus (0x0607) bridges. */
  public boolean isBridge() {
    int sub = classCode >> 8;
    return sub == 0x0604 || sub == 0x0609 || sub == 0x0607;
  }

  /** Any class-06 "bridge device" (host, ISA, PCI bridges...). */
  public boolean isBridgeClass() {
    return (classCode >> 16) == 0x06;
  }

  public String ids() {
    return String.format(Locale.ROOT, "%04x:%04x", vendor, device);
  }
}
