package dev.pcikit.core.watch;

import dev.pcikit.core.inventory.GroupStatus;
import dev.pcikit.core.model.PciAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An IOMMU group's viability as the watcher derives it from its members' states, by the rule of
 * {@link GroupStatus}: VFIO accepts a group only when every endpoint is on a VFIO driver or none
 * (drivers/vfio/group.c, vfio_dev_viable); bridges do not count.
 */
public record GroupState(int id, GroupStatus.Kind kind, List<PciAddress> members) {
  public GroupState {
    members = List.copyOf(members);
  }

  /** Whether a guest can open the group as it is. */
  public boolean viable() {
    return kind == GroupStatus.Kind.VFIO_VIABLE;
  }

  /** The group {@code id} made of {@code members} (sorted), judged from their states. */
  static GroupState of(int id, List<PciAddress> members, Map<PciAddress, DeviceState> devices) {
    int vfio = 0;
    int blockers = 0;
    List<PciAddress> sorted = new ArrayList<>(members);
    sorted.sort(null);
    for (PciAddress a : sorted) {
      DeviceState d = devices.get(a);
      if (d == null || d.bridge()) {
        continue;
      }
      if (d.boundToVfio()) {
        vfio++;
      } else if (d.driver().isPresent()) {
        blockers++;
      }
    }
    GroupStatus.Kind kind;
    if (blockers == 0 && vfio > 0) {
      kind = GroupStatus.Kind.VFIO_VIABLE;
    } else if (vfio == 0) {
      kind = GroupStatus.Kind.HOST;
    } else {
      kind = GroupStatus.Kind.MIXED;
    }
    return new GroupState(id, kind, sorted);
  }
}
