package dev.pcikit.core.watch;

import dev.pcikit.core.model.PciAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An immutable summary of a host at one moment: every PCI function's {@link DeviceState} and every
 * IOMMU group's {@link GroupState} (derived from the devices, so the two always agree).
 */
public final class HostState {
  private final Instant readAt;
  private final Map<PciAddress, DeviceState> devices;
  private final Map<Integer, GroupState> groups;

  private HostState(Instant readAt, Map<PciAddress, DeviceState> devices) {
    this.readAt = readAt;
    this.devices = Collections.unmodifiableMap(new TreeMap<>(devices));
    this.groups = Collections.unmodifiableMap(groupsOf(this.devices));
  }

  /** The state made of these devices, read at {@code readAt}. */
  public static HostState of(Instant readAt, Collection<DeviceState> devices) {
    Map<PciAddress, DeviceState> m = new TreeMap<>();
    for (DeviceState d : devices) {
      m.put(d.address(), d);
    }
    return new HostState(readAt, m);
  }

  /** A host with nothing on it (before the first scan). */
  public static HostState empty() {
    return new HostState(Instant.EPOCH, Map.of());
  }

  /** When the read that made this state finished. */
  public Instant readAt() {
    return readAt;
  }

  /** Every function by address, in address order. */
  public Map<PciAddress, DeviceState> devices() {
    return devices;
  }

  /** Every IOMMU group by number. */
  public Map<Integer, GroupState> groups() {
    return groups;
  }

  public Optional<DeviceState> device(PciAddress a) {
    return Optional.ofNullable(devices.get(a));
  }

  /** This state with some devices replaced or added ({@code read}) and others removed. */
  public HostState with(Instant at, Collection<DeviceState> read, Collection<PciAddress> removed) {
    Map<PciAddress, DeviceState> m = new TreeMap<>(devices);
    removed.forEach(m::remove);
    for (DeviceState d : read) {
      m.put(d.address(), d);
    }
    return new HostState(at, m);
  }

  private static Map<Integer, GroupState> groupsOf(Map<PciAddress, DeviceState> devices) {
    Map<Integer, List<PciAddress>> members = new TreeMap<>();
    for (DeviceState d : devices.values()) {
      d.iommuGroup()
          .ifPresent(g -> members.computeIfAbsent(g, k -> new ArrayList<>()).add(d.address()));
    }
    Map<Integer, GroupState> out = new TreeMap<>();
    members.forEach((id, list) -> out.put(id, GroupState.of(id, list, devices)));
    return out;
  }
}
