package dev.pcikit.core.host;

import dev.pcikit.core.check.Checker;
import dev.pcikit.core.check.HostEnvironment;
import dev.pcikit.core.check.HostUseCheck;
import dev.pcikit.core.holders.Holders;
import dev.pcikit.core.identity.FingerprintReader;
import dev.pcikit.core.inventory.Inventory;
import dev.pcikit.core.inventory.InventoryReader;
import dev.pcikit.core.inventory.PciDevice;
import dev.pcikit.core.modalias.AliasIndex;
import dev.pcikit.core.sysfs.Sysfs;
import dev.pcikit.core.vfio.HostUsage;
import dev.pcikit.core.vfio.VfioEngine;
import dev.pcikit.core.vfio.VfioEnvironment;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;

/**
 * The one object a caller opens to work on a host: its sysfs, what the running system uses its
 * devices for, its kernel (command line, architecture, module aliases), where pcikit keeps state on
 * it, and {@link #lock} to change it. {@link SystemHost} is a system root (this machine or a copied
 * tree); the simulated hosts of {@code dev.pcikit.sim} implement the same interface. Front ends
 * choose the host once and pass it on.
 */
public interface Host {

  /** How to name the host to a person: "/", "/srv/tree", "demo:x86-workstation". */
  String name();

  /** The host's sysfs: every device fact is read through it, every write goes to it. */
  Sysfs sysfs();

  /** Architecture, kernel command line and release, module states: what the host checks need. */
  HostEnvironment environment();

  /** Mounts, swap, routes and open VFIO groups: what the binding engine's safety rules consult. */
  HostUsage usage();

  /**
   * Host uses of a device as check findings; {@link HostUseCheck#NONE} when this host's usage
   * cannot be inspected (a copied tree without {@code proc}, a recording).
   */
  HostUseCheck uses();

  /**
   * Who holds this host's VFIO groups: the processes with {@code /dev/vfio/N} open and the libvirt
   * domains naming the devices. {@link Holders#NONE} when the host has nothing to inspect (a copied
   * tree without {@code proc} or libvirt files still gives an empty answer, not an error). Read
   * afresh on every call: holders come and go.
   */
  default Holders holders() {
    return Holders.NONE;
  }

  /**
   * The module aliases of this host's kernel (its {@code modules.alias}, as kmod reads it).
   *
   * @throws dev.pcikit.core.error.PcikitException when the host's kernel has no readable aliases
   */
  AliasIndex moduleAliases();

  /** Where pcikit keeps journals, records, the lock and persisted bindings on this host. */
  StateLayout layout();

  /** This host with its state kept elsewhere (tests, a second state for rehearsals). */
  Host withLayout(StateLayout layout);

  /** The binding engine's view of this host (unlocked: for planning and dry runs). */
  VfioEnvironment vfioEnvironment();

  /**
   * Opens the host for writing: waits up to {@code timeout} for the host lock, then finishes or
   * undoes any operation a crash left half-done ({@link Recovery}). Close the result to release the
   * lock.
   *
   * @throws dev.pcikit.core.error.PcikitException with {@code LOCKED} when another process holds
   *     the lock past the timeout
   * @throws IOException when the lock file or a journal cannot be used
   */
  LockedHost lock(Duration timeout) throws IOException;

  /** The inventory of this host at the given detail. */
  default Inventory inventory(InventoryReader.Detail detail) {
    return new InventoryReader(sysfs(), detail).read();
  }

  /**
   * The fingerprints of devices read from this host: {@code read} is what an inventory of it read
   * ({@link Inventory#devices()}, or functions read one by one with {@link
   * InventoryReader#readDevice}). What they hold (device path, PF link, IDs, class, revision, the
   * whole config space when read {@link InventoryReader.Detail#FULL}) is not read again; the rest
   * (config beyond the header, VPD, slots, location code, zPCI) comes from this host's sysfs. Any
   * other function (a VF's PF, for one) is read on its own. The fingerprints are those a reader
   * without the inventory finds; one reader per inventory read (it caches slots and PFs).
   */
  default FingerprintReader fingerprints(Collection<PciDevice> read) {
    return new FingerprintReader(sysfs(), read);
  }

  /** A checker of host readiness and per-device passthrough fitness for this host. */
  default Checker checker() {
    return new Checker(sysfs(), environment(), uses());
  }

  /**
   * The binding engine on this host, unlocked: plan and dry-run only; execute under {@link #lock}.
   */
  default VfioEngine vfio() {
    return new VfioEngine(vfioEnvironment());
  }
}
