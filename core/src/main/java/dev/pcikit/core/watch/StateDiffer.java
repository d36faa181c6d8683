package dev.pcikit.core.watch;

import dev.pcikit.core.inventory.GroupStatus;
import dev.pcikit.core.model.PciAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The changes between two host states. Device changes come first, ordered by address and then by
 * {@link EventType} order (a PF's {@code vfs-changed} before its new VFs' {@code device-added}
 * since VFs sit at higher addresses); group changes follow, by group number. A group that appears
 * or disappears with its devices counts as "absent", which is reported only when the other side is
 * not host-owned (a VF created straight onto vfio-pci makes a viable group).
 */
public final class StateDiffer {
  private StateDiffer() {}

  /** What changed from {@code before} to {@code after}; empty when nothing did. */
  public static List<Change> diff(HostState before, HostState after) {
    List<Change> out = new ArrayList<>();
    TreeSet<PciAddress> all = new TreeSet<>(before.devices().keySet());
    all.addAll(after.devices().keySet());
    for (PciAddress a : all) {
      DeviceState b = before.devices().get(a);
      DeviceState n = after.devices().get(a);
      if (b == null) {
        out.add(added(n));
        if (!n.responding()) {
          out.add(responding(n, false));
        }
      } else if (n == null) {
        out.add(removed(b));
      } else {
        deviceChanges(b, n, out);
      }
    }
    out.sort(Comparator.comparing(Change::address).thenComparing(Change::type));
    groupChanges(before, after, out);
    return out;
  }

  private static void deviceChanges(DeviceState b, DeviceState n, List<Change> out) {
    Optional<String> fp = n.fingerprint().or(b::fingerprint);
    if (!b.driver().equals(n.driver())) {
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("from", b.driver().orElse(null));
      d.put("to", n.driver().orElse(null));
      d.put("vfio", n.boundToVfio());
      out.add(new Change(EventType.DRIVER_CHANGED, n.address(), fp, d));
    }
    if (b.numVfs() != n.numVfs() || b.totalVfs() != n.totalVfs()) {
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("from", Math.max(0, b.numVfs()));
      d.put("to", Math.max(0, n.numVfs()));
      d.put("total", Math.max(0, n.totalVfs()));
      out.add(new Change(EventType.VFS_CHANGED, n.address(), fp, d));
    }
    if (b.responding() != n.responding()) {
      out.add(responding(n.withFingerprint(fp), n.responding()));
    }
  }

  private static Change added(DeviceState n) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("vendor", hex(n.vendor(), 4));
    d.put("device", hex(n.device(), 4));
    d.put("class", hex(n.classCode(), 6));
    d.put("driver", n.driver().orElse(null));
    d.put("iommuGroup", n.iommuGroup().orElse(null));
    d.put("physfn", n.physfn().map(PciAddress::toString).orElse(null));
    d.put("responding", n.responding());
    return new Change(EventType.DEVICE_ADDED, n.address(), n.fingerprint(), d);
  }

  private static Change removed(DeviceState b) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("vendor", hex(b.vendor(), 4));
    d.put("device", hex(b.device(), 4));
    d.put("class", hex(b.classCode(), 6));
    d.put("driver", b.driver().orElse(null));
    d.put("iommuGroup", b.iommuGroup().orElse(null));
    d.put("physfn", b.physfn().map(PciAddress::toString).orElse(null));
    return new Change(EventType.DEVICE_REMOVED, b.address(), b.fingerprint(), d);
  }

  private static Change responding(DeviceState n, boolean now) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("driver", n.driver().orElse(null));
    if (!now) {
      d.put("reason", "config space reads all ones: device gone or frozen (EEH)");
    }
    return new Change(
        now ? EventType.DEVICE_RESPONDING : EventType.DEVICE_NOT_RESPONDING,
        n.address(),
        n.fingerprint(),
        d);
  }

  private static void groupChanges(HostState before, HostState after, List<Change> out) {
    TreeSet<Integer> ids = new TreeSet<>(before.groups().keySet());
    ids.addAll(after.groups().keySet());
    for (int id : ids) {
      GroupState b = before.groups().get(id);
      GroupState n = after.groups().get(id);
      GroupStatus.Kind from = b == null ? null : b.kind();
      GroupStatus.Kind to = n == null ? null : n.kind();
      if (Objects.equals(from, to)) {
        continue;
      }
      if ((from == null && to == GroupStatus.Kind.HOST)
          || (to == null && from == GroupStatus.Kind.HOST)) {
        continue; // a host-owned group coming or going with its devices: device events say it
      }
      GroupState g = n != null ? n : b;
      HostState side = n != null ? after : before;
      PciAddress first = g.members().get(0);
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("group", id);
      d.put("from", kindName(from));
      d.put("to", kindName(to));
      d.put("viable", to == GroupStatus.Kind.VFIO_VIABLE);
      d.put("members", g.members().stream().map(PciAddress::toString).toList());
      Optional<String> fp = side.device(first).flatMap(DeviceState::fingerprint);
      out.add(new Change(EventType.GROUP_VIABILITY_CHANGED, first, fp, d));
    }
  }

  /** {@code vfio-viable}, {@code host}, {@code mixed}, or {@code absent}. */
  public static String kindName(GroupStatus.Kind k) {
    if (k == null) {
      return "absent";
    }
    return switch (k) {
      case VFIO_VIABLE -> "vfio-viable";
      case HOST -> "host";
      case MIXED -> "mixed";
    };
  }

  private static String hex(int v, int digits) {
    return v < 0 ? null : String.format(Locale.ROOT, "%0" + digits + "x", v);
  }
}
