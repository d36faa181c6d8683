package dev.pcikit.core.modalias;

import java.util.List;
import java.util.Optional;

/**
 * Which VFIO driver to bind a PCI device to, and why.
 *
 * <p>Since Linux 5.15 (commit cc6711b0bf36, "PCI / VFIO: Add 'override_only' support for VFIO PCI
 * sub system") VFIO drivers publish their match entries in modules.alias with the prefix {@code
 * vfio_}: {@code vfio_pci:v000015B3d0000101Esv*sd*bc*sc*i* mlx5_vfio_pci} next to the generic
 * {@code vfio_pci:v*d*sv*sd*bc*sc*i* vfio_pci}. They never autoload or autobind; userspace looks
 * the device's modalias up with the {@code vfio_} prefix and picks the most specific match. libvirt
 * ≥ 10.0 does this in {@code virPCIDeviceFindBestVFIOVariant()} (commit 82e2fac29710, "qemu:
 * automatically bind to a vfio variant driver, if available"): the matching {@code vfio_pci} alias
 * with the fewest {@code *} wins. pcikit applies the same rule. Ties (two aliases with the same
 * number of {@code *}) go to the first one in kmod's order, which is the order of modules.alias
 * (depmod's module order); such a choice is marked {@link #tie()}. A driver named by the user
 * always wins.
 *
 * @param modalias the device's modalias as given
 * @param vfioAlias the looked-up form ({@code vfio_pci:…}), empty when the modalias is not PCI
 * @param candidates every matching {@code vfio_pci:} alias, in kmod's order
 * @param chosen the driver to bind, if any
 * @param reason one sentence saying why
 * @param byUser whether {@code chosen} is the user's {@code --driver}
 * @param tie whether another candidate had the same, smallest number of {@code *}
 * @param fallback whether no alias matched and the generic vfio_pci module was taken because the
 *     kernel has it (kernels before 5.15 publish no {@code vfio_pci:} aliases)
 */
public record VfioChoice(
    String modalias,
    Optional<String> vfioAlias,
    List<AliasEntry> candidates,
    Optional<String> chosen,
    String reason,
    boolean byUser,
    boolean tie,
    boolean fallback) {

  public VfioChoice {
    candidates = List.copyOf(candidates);
  }

  /** The candidate module names in kmod's order (what {@code modprobe -R vfio_pci:…} prints). */
  public List<String> candidateModules() {
    return candidates.stream().map(AliasEntry::module).toList();
  }
}
