package dev.pcikit.core.plan;

import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * What the user wants: a machine type, host devices, how many emulated devices the guest will
 * carry, spare hotplug capacity and policies.
 *
 * @param name the guest name (used for a whole libvirt domain)
 * @param machine the QEMU machine type
 * @param devices host devices to pass through
 * @param emulatedDevices emulated PCI devices the guest will also have (pseries: on PHB 0;
 *     q35/virt: each gets an empty root port)
 * @param spares spare hotplug capacity (pseries: empty PHBs; q35/virt: empty root ports); empty
 *     means the default {@link #DEFAULT_SPARES}
 * @param policies choices; see {@link Policies}
 */
public record GuestSpec(
    String name,
    MachineType machine,
    List<DeviceRequest> devices,
    int emulatedDevices,
    OptionalInt spares,
    Policies policies) {

  /**
   * Default spare capacity: two empty PHBs / root ports, enough for one hot-added device plus one
   * replacement, while leaving 28 pseries PHBs for PEs.
   */
  public static final int DEFAULT_SPARES = 2;

  public GuestSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(machine, "machine");
    devices = List.copyOf(devices);
    Objects.requireNonNull(spares);
    Objects.requireNonNull(policies);
    if (emulatedDevices < 0) {
      throw new IllegalArgumentException("emulated device count must be >= 0");
    }
    if (spares.isPresent() && spares.getAsInt() < 0) {
      throw new IllegalArgumentException("spares must be >= 0");
    }
  }

  public int sparesOrDefault() {
    return spares.orElse(DEFAULT_SPARES);
  }
}
