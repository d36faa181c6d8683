package dev.pcikit.core.sriov;

import dev.pcikit.core.model.PciAddress;
import dev.pcikit.core.sysfs.PciAttributes;
import dev.pcikit.core.sysfs.Sysfs;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A VF whose PF is not visible to this kernel. The rule: no {@code physfn} link, and the s390 zPCI
 * attribute {@code vfn} is non-zero. On s390x, {@code pcibios_bus_add_device()}
 * (arch/s390/pci/pci_bus.c) treats every function with {@code zdev->vfn != 0} as a VF: it links it
 * to its PF only when {@code zpci_iov_find_parent_pf()} (arch/s390/pci/pci_iov.c) finds that PF
 * configured in the same LPAR, and sets {@code pdev->no_command_memory = 1} either way, so the
 * COMMAND register's Memory Space bit of such a function is not meaningful (reads 0 by design).
 * {@code vfn} is exported by arch/s390/pci/pci_sysfs.c ({@code zpci_attr(vfn, "0x%04x\n", vfn)}),
 * 1-based; Linux VF ids are {@code vfn - 1}.
 *
 * <p>A PowerVM partition with a hot-plugged VF exposes no such marker in sysfs, so it is not
 * recognised here (it shows as a plain function, which is bindable all the same).
 *
 * @param vfn the zPCI VF number (1-based)
 */
public record DetachedVf(
    PciAddress address, int vfn, String driver, Integer group, List<String> heldBy) {

  /** The zPCI VF number of a function whose PF is not visible, if it is one. */
  public static Optional<Integer> vfn(Sysfs sysfs, PciAddress a) {
    PciAttributes attrs = new PciAttributes(sysfs);
    if (attrs.link(a, "physfn").isPresent()) {
      return Optional.empty(); // an ordinary VF: its PF is here
    }
    // arch/s390/pci/pci_sysfs.c prints it "0x%04x"
    OptionalInt n = attrs.dec(a, "vfn");
    return n.isPresent() && n.getAsInt() > 0 ? Optional.of(n.getAsInt()) : Optional.empty();
  }

  /** Whether a function is a VF by the kernel's account: a physfn link, or a detached VF. */
  public static boolean isVirtualFunction(Sysfs sysfs, PciAddress a) {
    return new PciAttributes(sysfs).link(a, "physfn").isPresent() || vfn(sysfs, a).isPresent();
  }
}
