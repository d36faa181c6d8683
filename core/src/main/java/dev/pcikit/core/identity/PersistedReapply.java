package dev.pcikit.core.identity;

import dev.pcikit.core.model.DeviceSelector;
import dev.pcikit.core.model.PciAddress;
import dev.pcikit.core.sysfs.Sysfs;
import dev.pcikit.core.vfio.Operation;
import dev.pcikit.core.vfio.PersistedBindings;
import dev.pcikit.core.vfio.Transition;
import dev.pcikit.core.vfio.VfioEngine;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code vfio apply-persisted}: re-resolves every persisted binding by its fingerprint, binds the
 * devices that are safely the recorded ones (all in one transaction), and says what happened to
 * each entry. The caller holds the lock.
 *
 * <ul>
 *   <li>same device, same address: bound;
 *   <li>same device, new address: bound there and reported (policy {@link MovePolicy#REFUSE}: not
 *       bound, reported, {@link Result#refused()});
 *   <li>a different device at the recorded address: never bound, reported, refused;
 *   <li>several devices match: never bound, refused;
 *   <li>gone: reported.
 * </ul>
 *
 * A line of the first file format (BDF and vendor:device only) is checked as before — the IDs at
 * the address — and, when they match, upgraded in place with the device's fingerprint. Moved
 * entries are rewritten with their new address. The file is rewritten atomically, once, after the
 * bind transaction succeeded.
 */
public final class PersistedReapply {

  /** What to do with a persisted device found at another address. */
  public enum MovePolicy {
    BIND,
    REFUSE
  }

  /**
   * @param outcome the bind transaction
   * @param resolutions what each persisted entry resolved to
   * @param notes lines for the user (moved, replaced, gone, upgraded, engine notes)
   * @param refused whether an entry was not applied for a reason that must not pass silently
   * @param upgraded entries of the first format that got a fingerprint
   */
  public record Result(
      VfioEngine.Outcome outcome,
      List<Resolution> resolutions,
      List<String> notes,
      boolean refused,
      int upgraded) {}

  private final VfioEngine engine;
  private final Sysfs sysfs;
  private final PersistedBindings file;

  public PersistedReapply(VfioEngine engine, Sysfs sysfs, PersistedBindings file) {
    this.engine = engine;
    this.sysfs = sysfs;
    this.file = file;
  }

  /** Resolves every entry without binding anything. */
  public List<Resolution> resolveAll(Map<PciAddress, DeviceIdentity> host) throws IOException {
    List<Resolution> out = new ArrayList<>();
    for (PersistedBindings.Entry e : file.read().values()) {
      out.add(resolve(e, host));
    }
    return out;
  }

  static Resolution resolve(PersistedBindings.Entry e, Map<PciAddress, DeviceIdentity> host) {
    if (e.fingerprint().isPresent()) {
      return FingerprintResolver.resolve(e.address(), e.fingerprint().get(), host);
    }
    // first format: only the IDs at the address guard against renumbering
    DeviceIdentity there = host.get(e.address());
    if (there == null) {
      return new Resolution(
          Resolution.Kind.GONE,
          e.address(),
          Optional.empty(),
          Optional.empty(),
          e.address() + ": persisted (" + e.ids() + ") but not present");
    }
    Fingerprint fp = there.fingerprint();
    String now = String.format(Locale.ROOT, "%04x:%04x", fp.vendor(), fp.device());
    if (!now.equals(e.ids())) {
      return new Resolution(
          Resolution.Kind.REPLACED,
          e.address(),
          Optional.empty(),
          Optional.of(fp),
          e.address()
              + ": persisted for "
              + e.ids()
              + " but the device there is "
              + now
              + "; not bound");
    }
    return new Resolution(
        Resolution.Kind.SAME,
        e.address(),
        Optional.of(e.address()),
        Optional.empty(),
        e.address() + ": same IDs " + e.ids() + " (entry without fingerprint)");
  }

  /**
   * The identities resolving {@code entries} needs: none without an entry (the boot of a host that
   * persisted nothing reads no fingerprint), else every function's, as a moved device can be at any
   * address. Read per device: reading a listing inventory first to reuse its bytes, and to
   * fingerprint only the functions whose IDs match an entry, cost more than it saved on nic-farm (a
   * VF's entry matches its hundreds of sibling VFs; docs/benchmarks-agent.md).
   */
  private Map<PciAddress, DeviceIdentity> identities(Collection<PersistedBindings.Entry> entries) {
    return entries.isEmpty() ? Map.of() : new FingerprintReader(sysfs).readAll();
  }

  public Result run(MovePolicy policy) throws IOException {
    // the engine's reading also refuses a file naming a non-VFIO driver (nothing bound then)
    Map<PciAddress, PersistedBindings.Entry> entries = engine.persisted();
    Map<PciAddress, DeviceIdentity> host = identities(entries.values());
    List<Resolution> resolutions = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    boolean refused = false;
    // entry -> where to bind it now
    Map<PciAddress, PciAddress> bindAt = new LinkedHashMap<>();
    Map<PciAddress, List<PciAddress>> claimedBy = new TreeMap<>();
    for (PersistedBindings.Entry e : entries.values()) {
      Resolution r = resolve(e, host);
      resolutions.add(r);
      switch (r.kind()) {
        case SAME -> bindAt.put(e.address(), r.now().orElseThrow());
        case MOVED -> {
          if (policy == MovePolicy.BIND) {
            notes.add(r.message() + ": bound at " + r.now().orElseThrow());
            bindAt.put(e.address(), r.now().orElseThrow());
          } else {
            notes.add(r.message() + ": not bound (the move policy is refuse)");
            refused = true;
          }
        }
        case REPLACED, AMBIGUOUS -> {
          notes.add(r.message());
          refused = true;
        }
        case GONE -> notes.add("warning: " + r.message() + ", skipped");
      }
    }
    // two entries must never claim one device (e.g. a first-format line and a moved entry)
    bindAt.forEach(
        (entry, now) -> claimedBy.computeIfAbsent(now, k -> new ArrayList<>()).add(entry));
    for (Map.Entry<PciAddress, List<PciAddress>> c : claimedBy.entrySet()) {
      if (c.getValue().size() > 1) {
        notes.add(
            c.getKey() + ": claimed by several persisted entries " + c.getValue() + "; not bound");
        c.getValue().forEach(bindAt::remove);
        refused = true;
      }
    }
    Map<String, List<DeviceSelector>> byDriver = new TreeMap<>();
    bindAt.forEach(
        (entry, now) ->
            byDriver
                .computeIfAbsent(entries.get(entry).driver(), k -> new ArrayList<>())
                .add(DeviceSelector.of(now)));
    List<Transition> all = new ArrayList<>();
    for (Map.Entry<String, List<DeviceSelector>> e : byDriver.entrySet()) {
      VfioEngine.Plan p =
          engine.planBind(
              new VfioEngine.BindRequest(e.getValue(), false, e.getKey(), false, false));
      all.addAll(p.transitions());
      notes.addAll(p.notes());
    }
    VfioEngine.Outcome o =
        engine.execute(new VfioEngine.Plan(Operation.BIND, all, false, List.of()));
    // rewrite: moved entries at their new address, first-format entries with their fingerprint
    Map<PciAddress, PersistedBindings.Entry> updated = new TreeMap<>();
    int upgraded = 0;
    boolean changed = false;
    for (PersistedBindings.Entry e : entries.values()) {
      PciAddress now = bindAt.get(e.address());
      PersistedBindings.Entry n = e;
      if (now != null && e.fingerprint().isEmpty()) {
        n =
            new PersistedBindings.Entry(
                now, e.ids(), e.driver(), Optional.of(host.get(now).fingerprint()));
        upgraded++;
      } else if (now != null && !now.equals(e.address())) {
        n = e.at(now);
      }
      changed |= !n.equals(e);
      if (updated.containsKey(n.address())) {
        n = e; // a moved entry onto another entry's address: keep both as they were
      }
      updated.put(n.address(), n);
    }
    if (changed && updated.size() == entries.size()) {
      file.write(updated);
      if (upgraded > 0) {
        notes.add(
            "upgraded "
                + upgraded
                + " persisted entr"
                + (upgraded == 1 ? "y" : "ies")
                + " to the fingerprint format ("
                + file.file()
                + ")");
      }
    }
    return new Result(o, resolutions, notes, refused, upgraded);
  }
}
