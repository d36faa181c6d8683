package dev.pcikit.core.holders;

import dev.pcikit.core.model.PciAddress;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * A libvirt QEMU domain as its XML file shows it: the live status file ({@code
 * run/libvirt/qemu/NAME.xml}, a {@code <domstatus pid=…>} around the {@code <domain>}) or the
 * defined configuration ({@code etc/libvirt/qemu/NAME.xml}).
 *
 * @param hostdevs the PCI addresses of its {@code <hostdev type='pci'>} sources
 */
public record LibvirtDomain(
    String name, boolean live, Optional<Integer> pid, Set<PciAddress> hostdevs, Path file) {
  public LibvirtDomain {
    hostdevs = Set.copyOf(hostdevs);
  }
}
