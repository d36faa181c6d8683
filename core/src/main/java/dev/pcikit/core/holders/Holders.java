package dev.pcikit.core.holders;

import dev.pcikit.core.model.PciAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who holds what: the processes holding each VFIO group open, joined with libvirt's domain XML. For
 * a device, a holder's domain is the live domain whose status file names the holder's pid; failing
 * that, a live domain whose {@code <hostdev>} lists the device; failing that, a defined domain that
 * lists it. A device nobody holds may still be assigned to a defined domain ({@link #assignedTo}).
 */
public final class Holders {
  private final Map<Integer, List<GroupHolder>> byGroup;
  private final List<LibvirtDomain> domains;
  private final List<String> problems;

  public Holders(
      Map<Integer, List<GroupHolder>> byGroup, List<LibvirtDomain> domains, List<String> problems) {
    this.byGroup = byGroup;
    this.domains = List.copyOf(domains);
    this.problems = List.copyOf(problems);
  }

  /** Nobody holds anything (a recorded host, or no proc tree). */
  public static final Holders NONE = new Holders(Map.of(), List.of(), List.of());

  /** Reads {@code ROOT/proc} and {@code ROOT/{run,etc}/libvirt/qemu}. */
  public static Holders read(java.nio.file.Path root) {
    LibvirtDomains.Result d = LibvirtDomains.read(root);
    return new Holders(
        new ProcGroupHolders(root.resolve("proc")).read(), d.domains(), d.problems());
  }

  /** Files that could not be read, one line each. */
  public List<String> problems() {
    return problems;
  }

  public List<LibvirtDomain> domains() {
    return domains;
  }

  /** Groups held open, each with its holders (domain not yet resolved). */
  public Map<Integer, List<GroupHolder>> groups() {
    return byGroup;
  }

  /** The holders of a device's group, each with its libvirt domain where one matches. */
  public List<GroupHolder> of(PciAddress device, Integer group) {
    List<GroupHolder> out = new ArrayList<>();
    if (group == null) {
      return out;
    }
    for (GroupHolder h : byGroup.getOrDefault(group, List.of())) {
      out.add(h.withDomain(domainFor(device, h.pid())));
    }
    return out;
  }

  private Optional<LibvirtDomain> domainFor(PciAddress device, int pid) {
    Optional<LibvirtDomain> byPid =
        domains.stream()
            .filter(d -> d.live() && pid > 0 && d.pid().equals(Optional.of(pid)))
            .findFirst();
    if (byPid.isPresent()) {
      return byPid;
    }
    // a live file without a pid (older libvirt, or hand-made) still says which domain runs it
    return domains.stream()
        .filter(d -> d.live() && d.pid().isEmpty() && d.hostdevs().contains(device))
        .findFirst();
  }

  /** A defined domain whose configuration assigns the device (it may not be running). */
  public Optional<LibvirtDomain> assignedTo(PciAddress device) {
    return domains.stream().filter(d -> !d.live() && d.hostdevs().contains(device)).findFirst();
  }
}
