package dev.pcikit.core.watch;

import dev.pcikit.core.host.Host;
import dev.pcikit.core.identity.FingerprintReader;
import dev.pcikit.core.inventory.Inventory;
import dev.pcikit.core.inventory.InventoryReader;
import dev.pcikit.core.inventory.PciDevice;
import dev.pcikit.core.model.PciAddress;
import dev.pcikit.core.sysfs.Sysfs;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Reads {@link HostState}s through a host's sysfs: a full read (the listing-level inventory, 64
 * config bytes per function, as {@code pcikit list} reads) or a targeted one that re-reads only
 * some functions and carries the rest over. Fingerprints are read once per function appearance
 * (they need the whole config space and the VPD, which a periodic read should not pay for) and kept
 * while the function stays with the same IDs. Not thread-safe: one watcher thread uses it.
 */
public final class StateScanner {
  private static final String DEVICES = "bus/pci/devices";

  private final boolean fingerprints;
  private final Clock clock;
  private final Map<PciAddress, Known> known = new HashMap<>();

  private record Known(int vendor, int device, Optional<PciAddress> physfn, Optional<String> fp) {}

  /**
   * @param fingerprints whether to read each new function's fingerprint
   */
  public StateScanner(boolean fingerprints, Clock clock) {
    this.fingerprints = fingerprints;
    this.clock = clock;
  }

  /** Reads every function of the host. */
  public HostState full(Host host) {
    Sysfs sysfs = host.sysfs();
    Inventory inv = new InventoryReader(sysfs, InventoryReader.Detail.LISTING).read();
    // identity from what the inventory read (the first scan of nic-farm read each function's
    // link, IDs and PF link twice)
    FingerprintReader ids = host.fingerprints(inv.devices());
    List<DeviceState> out = new ArrayList<>(inv.devices().size());
    for (PciDevice d : inv.devices()) {
      out.add(DeviceState.of(d, fingerprint(ids, d)));
    }
    known.keySet().retainAll(inv.devices().stream().map(PciDevice::address).toList());
    return HostState.of(clock.instant(), out);
  }

  /**
   * Re-reads the {@code touched} functions (and, for a VF its PF, for a PF its VFs before and
   * after), keeping everything else from {@code previous}. A touched function whose directory is
   * gone is removed.
   */
  public HostState targeted(Host host, HostState previous, Collection<PciAddress> touched) {
    Sysfs sysfs = host.sysfs();
    InventoryReader reader = new InventoryReader(sysfs, InventoryReader.Detail.LISTING);
    TreeSet<PciAddress> todo = new TreeSet<>(touched);
    for (PciAddress a : touched) {
      previous.device(a).flatMap(DeviceState::physfn).ifPresent(todo::add);
    }
    List<PciDevice> read = new ArrayList<>();
    List<PciAddress> removed = new ArrayList<>();
    TreeSet<PciAddress> done = new TreeSet<>();
    while (!todo.isEmpty()) {
      PciAddress a = todo.pollFirst();
      if (!done.add(a)) {
        continue;
      }
      if (!sysfs.exists(DEVICES + "/" + a)) {
        removed.add(a);
        known.remove(a);
        continue;
      }
      PciDevice d;
      try {
        d = reader.readDevice(a);
      } catch (IOException | RuntimeException e) {
        continue; // present but unreadable this time: keep what was known
      }
      read.add(d);
      d.physfn().filter(pf -> !done.contains(pf)).ifPresent(todo::add);
      if (d.sriov().isPresent()) {
        // a PF whose VF count changed: its VFs came or went (their own uevents may lag)
        for (DeviceState vf : previous.devices().values()) {
          if (vf.physfn().equals(Optional.of(a)) && !done.contains(vf.address())) {
            todo.add(vf.address());
          }
        }
        d.virtfns().stream().filter(v -> !done.contains(v)).forEach(todo::add);
      }
    }
    // identity from what was just read, once every touched function is (a VF's PF among them)
    FingerprintReader ids = host.fingerprints(read);
    List<DeviceState> states = new ArrayList<>(read.size());
    for (PciDevice d : read) {
      states.add(DeviceState.of(d, fingerprint(ids, d)));
    }
    return previous.with(clock.instant(), states, removed);
  }

  private Optional<String> fingerprint(FingerprintReader ids, PciDevice d) {
    if (!fingerprints) {
      return Optional.empty();
    }
    Known k = known.get(d.address());
    if (k != null
        && k.vendor == d.vendor()
        && k.device == d.device()
        && k.physfn.equals(d.physfn())) {
      return k.fp;
    }
    Optional<String> fp;
    try {
      fp = Optional.of(ids.read(d.address()).fingerprint().identity());
    } catch (IOException | RuntimeException e) {
      fp = Optional.empty(); // gone meanwhile or unreadable: the event carries null
    }
    known.put(d.address(), new Known(d.vendor(), d.device(), d.physfn(), fp));
    return fp;
  }
}
