package dev.pcikit.core.plan;

import dev.pcikit.core.model.PciAddress;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the planner must leave alone in an existing libvirt domain: its controllers, every PCI
 * address already taken, the host functions already assigned and the zPCI ids in use.
 *
 * @param text the domain XML as read (renderers insert new elements into it, changing nothing else)
 */
public record ExistingDomain(
    String name,
    Optional<MachineType> machine,
    List<ExistingController> controllers,
    Set<GuestAddress> usedAddresses,
    Set<PciAddress> hostdevSources,
    Set<Integer> zpciUids,
    Set<Long> zpciFids,
    int hostdevCount,
    String text) {

  public ExistingDomain {
    controllers = List.copyOf(controllers);
    usedAddresses = Set.copyOf(usedAddresses);
    hostdevSources = Set.copyOf(hostdevSources);
    zpciUids = Set.copyOf(zpciUids);
    zpciFids = Set.copyOf(zpciFids);
  }

  public boolean controllerIndexUsed(int index) {
    return controllers.stream().anyMatch(c -> c.index() == index);
  }

  /** Whether any device or controller sits on the controller with this index. */
  public boolean busOccupied(int index) {
    return usedAddresses.stream().anyMatch(a -> a.bus() == index);
  }
}
