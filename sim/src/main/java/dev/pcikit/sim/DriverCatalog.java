package dev.pcikit.sim;

import dev.pcikit.sim.DriverSpec.Flag;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The drivers a simulated host can load, in registration order (the order the kernel tries them on
 * a device). Deliberately simple ID patterns: the kmod-exact alias resolver lives in core ({@code
 * dev.pcikit.core.modalias}); this table only decides which driver the simulated kernel binds.
 */
public final class DriverCatalog {
  private final Map<String, DriverSpec> drivers = new LinkedHashMap<>();

  public DriverCatalog add(DriverSpec d) {
    drivers.put(d.name(), d);
    return this;
  }

  public DriverCatalog add(String name, String module, Set<Flag> flags, String... aliases) {
    return add(new DriverSpec(name, module, flags, List.of(aliases)));
  }

  public Optional<DriverSpec> get(String name) {
    return Optional.ofNullable(drivers.get(name));
  }

  /** The driver provided by a module (module names use '_', driver names often '-'). */
  public Optional<DriverSpec> byModule(String module) {
    String m = module.replace('-', '_');
    return drivers.values().stream()
        .filter(d -> d.module().equals(m) || d.name().replace('-', '_').equals(m))
        .findFirst();
  }

  public List<DriverSpec> all() {
    return new ArrayList<>(drivers.values());
  }

  /** Drivers whose normal ID table matches a modalias, in catalogue order. */
  public List<DriverSpec> matching(String modalias) {
    List<DriverSpec> out = new ArrayList<>();
    for (DriverSpec d : drivers.values()) {
      if (d.matchesModalias(modalias)) {
        out.add(d);
      }
    }
    return out;
  }

  private static Set<Flag> f(Flag... flags) {
    return flags.length == 0 ? EnumSet.noneOf(Flag.class) : EnumSet.of(flags[0], flags);
  }

  /**
   * Drivers of a Debian 6.1 kernel for the devices the demo hosts and the x86 lab use. Patterns
   * follow the drivers' ID tables (class-based ones as the kernel's PCI_CLASS entries).
   */
  public static DriverCatalog defaults() {
    DriverCatalog c = new DriverCatalog();
    c.add("pcieport", "", f(Flag.MANAGED_DMA), "pci:v*d*sv*sd*bc06sc04i00*");
    c.add("nvme", "nvme", f(Flag.SRIOV), "pci:v*d*sv*sd*bc01sc08i02*");
    c.add("ahci", "ahci", f(), "pci:v*d*sv*sd*bc01sc06i01*");
    c.add("xhci_hcd", "xhci_pci", f(), "pci:v*d*sv*sd*bc0Csc03i30*");
    c.add(
        "e1000e",
        "e1000e",
        f(),
        "pci:v00008086d000010D3sv*sd*bc*sc*i*",
        "pci:v00008086d000015BCsv*sd*bc*sc*i*");
    c.add("e1000", "e1000", f(), "pci:v00008086d0000100Esv*sd*bc*sc*i*");
    c.add(
        "igb",
        "igb",
        f(Flag.SRIOV),
        "pci:v00008086d00001533sv*sd*bc*sc*i*",
        "pci:v00008086d00001539sv*sd*bc*sc*i*");
    c.add(
        "ixgbe",
        "ixgbe",
        f(Flag.SRIOV),
        "pci:v00008086d000010FBsv*sd*bc*sc*i*",
        "pci:v00008086d00001528sv*sd*bc*sc*i*");
    c.add("ixgbevf", "ixgbevf", f(), "pci:v00008086d000010EDsv*sd*bc*sc*i*");
    c.add("i40e", "i40e", f(Flag.SRIOV), "pci:v00008086d00001572sv*sd*bc*sc*i*");
    c.add(
        "iavf",
        "iavf",
        f(),
        "pci:v00008086d0000154Csv*sd*bc*sc*i*",
        "pci:v00008086d00001889sv*sd*bc*sc*i*");
    c.add(
        "ice",
        "ice",
        f(Flag.SRIOV),
        "pci:v00008086d00001592sv*sd*bc*sc*i*",
        "pci:v00008086d00001593sv*sd*bc*sc*i*");
    c.add(
        "mlx5_core",
        "mlx5_core",
        f(Flag.SRIOV),
        "pci:v000015B3d00001017sv*sd*bc*sc*i*",
        "pci:v000015B3d00001018sv*sd*bc*sc*i*",
        "pci:v000015B3d00001019sv*sd*bc*sc*i*",
        "pci:v000015B3d0000101Asv*sd*bc*sc*i*",
        "pci:v000015B3d0000101Bsv*sd*bc*sc*i*",
        "pci:v000015B3d0000101Csv*sd*bc*sc*i*",
        "pci:v000015B3d0000101Dsv*sd*bc*sc*i*",
        "pci:v000015B3d0000101Esv*sd*bc*sc*i*");
    c.add("virtio-pci", "virtio_pci", f(), "pci:v00001AF4d*sv*sd*bc*sc*i*");
    c.add("snd_hda_intel", "snd_hda_intel", f(), "pci:v*d*sv*sd*bc04sc03i00*");
    c.add("nouveau", "nouveau", f(), "pci:v000010DEd*sv*sd*bc03sc*i*");
    c.add("amdgpu", "amdgpu", f(), "pci:v00001002d*sv*sd*bc03sc*i*");
    c.add("i915", "i915", f(), "pci:v00008086d*sv*sd*bc03sc*i*");
    c.add("ism", "ism", f(), "pci:v00001014d000004EDsv*sd*bc*sc*i*");
    c.add("pci-stub", "pci_stub", f(Flag.MANAGED_DMA));
    c.add("vfio-pci", "vfio_pci", f(Flag.VFIO), "vfio_pci:v*d*sv*sd*bc*sc*i*");
    return c;
  }
}
