package dev.pcikit.core.plan;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One entry of a guest spec's {@code devices:} list.
 *
 * @param selector a host BDF ({@code 0000:03:00.0}), IDs ({@code 8086:10d3}: every function with
 *     them) or an IOMMU group ({@code group:7})
 * @param phb pseries only: the PHB index (1..30) the user wants this device on
 * @param slot the guest slot the user wants (pseries: on the PHB; others: ignored)
 * @param zpciUid s390x only: the zPCI uid the user wants (1..0xffff)
 * @param zpciFid s390x only: the zPCI fid the user wants (32-bit)
 * @param driverModel a VFIO variant driver for libvirt's {@code <driver model=…/>}
 */
public record DeviceRequest(
    String selector,
    OptionalInt phb,
    OptionalInt slot,
    OptionalInt zpciUid,
    OptionalLong zpciFid,
    Optional<String> driverModel) {

  public DeviceRequest {
    Objects.requireNonNull(selector, "selector");
    Objects.requireNonNull(phb);
    Objects.requireNonNull(slot);
    Objects.requireNonNull(zpciUid);
    Objects.requireNonNull(zpciFid);
    Objects.requireNonNull(driverModel);
  }

  public static DeviceRequest of(String selector) {
    return new DeviceRequest(
        selector,
        OptionalInt.empty(),
        OptionalInt.empty(),
        OptionalInt.empty(),
        OptionalLong.empty(),
        Optional.empty());
  }

  public boolean hasUserAddress() {
    return phb.isPresent() || slot.isPresent() || zpciUid.isPresent() || zpciFid.isPresent();
  }
}
