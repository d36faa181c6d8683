package dev.pcikit.core.config;

import java.util.Optional;

/**
 * The first 64 bytes of config space.
 *
 * @param layout header layout: 0 (endpoint), 1 (PCI-to-PCI bridge), 2 (CardBus bridge) or other
 * @param multifunction bit 7 of the header type register
 * @param subsystemVendorId type 0: 0x2c; CardBus: 0x40; bridges keep it in a capability, so -1
 * @param subsystemDeviceId type 0: 0x2e; CardBus: 0x42; bridges: -1
 * @param capabilitiesPointer raw pointer byte (0x34, or 0x14 for CardBus)
 * @param buses bus numbers, for bridges (layouts 1 and 2)
 */
public record ConfigHeader(
    int vendorId,
    int deviceId,
    CommandRegister command,
    int status,
    int revision,
    int classCode,
    int layout,
    boolean multifunction,
    int subsystemVendorId,
    int subsystemDeviceId,
    int capabilitiesPointer,
    int interruptLine,
    int interruptPin,
    Optional<BridgeBuses> buses) {

  /** STATUS bit 4: a capability list is present. */
  public boolean hasCapabilityList() {
    return (status & 0x10) != 0;
  }

  public int baseClass() {
    return classCode >> 16 & 0xff;
  }

  public int subClass() {
    return classCode >> 8 & 0xff;
  }

  public int programmingInterface() {
    return classCode & 0xff;
  }

  public boolean isBridge() {
    return layout == 1;
  }
}
