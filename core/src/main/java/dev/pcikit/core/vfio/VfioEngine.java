package dev.pcikit.core.vfio;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.error.Remedy;
import dev.pcikit.core.model.DeviceSelector;
import dev.pcikit.core.model.PciAddress;
import dev.pcikit.core.sysfs.PciAttributes;
import dev.pcikit.core.sysfs.Sysfs;
import dev.pcikit.core.vfio.Steps.Step;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Binding transactions: plan (resolve devices, choose drivers, check group viability and host
 * safety), then execute all or nothing with an intent journal, roll back on any failure, and
 * recover an operation interrupted by a crash. The caller holds the {@link HostLock}.
 */
public final class VfioEngine {
  private static final int RESTORE_ATTEMPTS = 3;

  /** What {@code vfio bind} was asked. {@code driver} null = let the chooser decide. */
  public record BindRequest(
      List<DeviceSelector> devices, boolean group, String driver, boolean persist, boolean force) {}

  /**
   * A planned transaction: the transitions, notes for the user (skipped devices, driver choices),
   * and the safety refusals the caller chose to override ({@code force}).
   */
  public record Plan(
      Operation op,
      List<Transition> transitions,
      boolean persist,
      List<String> notes,
      List<Refusal> overridden) {

    /** A plan without overridden refusals. */
    public Plan(Operation op, List<Transition> transitions, boolean persist, List<String> notes) {
      this(op, transitions, persist, notes, List.of());
    }
  }

  /** A finished transaction. */
  public record Outcome(List<Transition> done, List<String> notes) {}

  /** What {@code vfio status} shows. */
  public record Status(
      List<DeviceFacts> vfioDevices,
      Map<PciAddress, BindingRecords.Record> records,
      Map<PciAddress, PersistedBindings.Entry> persisted,
      Map<PciAddress, String> driverctl,
      Map<Integer, List<String>> openGroups,
      Optional<Journal.BindingEntry> pendingJournal) {}

  private final VfioEnvironment env;
  private final Sysfs sysfs;
  private final DeviceReader reader;
  private final Journal journal;
  private final BindingRecords records;
  private final PersistedBindings persisted;
  private final DriverctlOverrides driverctl;

  public VfioEngine(VfioEnvironment env) {
    this.env = env;
    this.sysfs = env.sysfs();
    this.reader = new DeviceReader(sysfs);
    this.journal = new Journal(env.stateDir());
    this.records = new BindingRecords(env.stateDir());
    this.persisted = new PersistedBindings(env.etcDir());
    this.driverctl = new DriverctlOverrides(env.etcDir().resolve("driverctl.d"));
  }

  public Journal journal() {
    return journal;
  }

  /** Selectors naming exactly these devices (for callers that hold addresses, not user text). */
  public static List<DeviceSelector> exactly(List<PciAddress> devices) {
    return devices.stream().map(DeviceSelector::of).toList();
  }

  // ---- device resolution -------------------------------------------------------------------

  /**
   * Every device the selectors name, sorted, for a write command: a selector that matches nothing
   * is an error, and so is one that would take "everything" ({@link WriteSelection}).
   */
  public List<PciAddress> resolve(List<DeviceSelector> selectors) throws IOException {
    WriteSelection.checkNarrow(selectors);
    Set<PciAddress> out = new TreeSet<>();
    List<PciAddress> all = null;
    boolean pattern = false;
    for (DeviceSelector s : selectors) {
      Optional<PciAddress> exact = s.exactAddress();
      if (exact.isPresent()) {
        if (!reader.exists(exact.get())) {
          throw new PcikitException(Failure.NOT_FOUND, "no PCI device " + exact.get());
        }
        out.add(exact.get());
        continue;
      }
      pattern = true;
      if (all == null) {
        all = reader.all();
      }
      List<PciAddress> matched = new ArrayList<>();
      PciAttributes attrs = reader.attributes();
      for (PciAddress a : all) {
        if (s.matches(
            a,
            attrs.hex(a, "vendor").orElse(-1),
            attrs.hex(a, "device").orElse(-1),
            attrs.hex(a, "class").orElse(-1))) {
          matched.add(a);
        }
      }
      if (matched.isEmpty()) {
        throw new PcikitException(Failure.NOT_FOUND, "no PCI device matches '" + s.text() + "'");
      }
      WriteSelection.checkOneDomain(s, matched);
      out.addAll(matched);
    }
    if (pattern) {
      WriteSelection.checkNotWholeHost(out, all);
    }
    return new ArrayList<>(out);
  }

  // ---- planning ----------------------------------------------------------------------------

  public Plan planBind(BindRequest req) throws IOException {
    if (req.driver() != null) {
      // only VFIO drivers: what pcikit binds, 'vfio release' must be able to undo
      req =
          new BindRequest(
              req.devices(),
              req.group(),
              VfioDriverPolicy.accept(req.driver(), env.chooser()::isVariantModule),
              req.persist(),
              req.force());
    }
    List<PciAddress> named = resolve(req.devices());
    Map<PciAddress, DeviceFacts> facts = new TreeMap<>();
    Map<PciAddress, String> target = new TreeMap<>();
    List<String> notes = new ArrayList<>();
    for (PciAddress a : named) {
      DeviceFacts f = reader.read(a);
      facts.put(a, f);
      if (req.driver() != null) {
        target.put(a, req.driver());
      } else {
        VfioDriverChooser.Choice c = env.chooser().choose(f);
        target.put(a, c.driver());
        if (!c.driver().equals("vfio-pci")) {
          notes.add(a + ": " + c.driver() + " (" + c.why() + ")");
        }
      }
    }
    // Group viability: every endpoint of each touched group on a VFIO driver, pci-stub, or none.
    Map<Integer, List<String>> blocking = new TreeMap<>();
    Set<Integer> seen = new TreeSet<>();
    for (PciAddress a : named) {
      DeviceFacts f = facts.get(a);
      if (f.iommuGroup() == null || !seen.add(f.iommuGroup())) {
        continue;
      }
      for (PciAddress peer : f.groupMembers()) {
        if (target.containsKey(peer)) {
          continue;
        }
        DeviceFacts p = reader.read(peer);
        if (p.isBridge()) {
          continue; // bridges are excepted (pcieport manages no DMA for VFIO purposes)
        }
        String drv = p.binding().driver();
        if (req.group()) {
          if (!VfioDrivers.isVfio(drv) && !"pci-stub".equals(drv)) {
            facts.put(peer, p);
            target.put(peer, env.chooser().choose(p).driver());
            notes.add(peer + ": group " + f.iommuGroup() + " peer, bound too (whole group)");
          }
        } else if (!VfioDrivers.keepsGroupViable(drv)) {
          blocking
              .computeIfAbsent(f.iommuGroup(), k -> new ArrayList<>())
              .add(peer + " (" + drv + ")");
        }
      }
    }
    if (!blocking.isEmpty()) {
      String groups =
          blocking.entrySet().stream()
              .map(
                  e ->
                      "IOMMU group "
                          + e.getKey()
                          + " is shared with "
                          + String.join(", ", e.getValue()))
              .collect(Collectors.joining("; "));
      throw new PcikitException(
          Failure.REFUSED,
          Remedy.INCLUDE_WHOLE_GROUP,
          "refused: "
              + groups
              + ": a group is usable by a VM only when every endpoint in it is on a VFIO driver or"
              + " none");
    }
    // Host safety.
    SafetyCheck safety = new SafetyCheck(sysfs, env.usage(), driverctl);
    List<Refusal> refusals = new ArrayList<>();
    for (Map.Entry<PciAddress, String> e : target.entrySet()) {
      refusals.addAll(safety.forBind(facts.get(e.getKey()), e.getValue()));
    }
    List<Refusal> overridden = enforce(Operation.BIND, refusals, req.force());
    List<Transition> ts = new ArrayList<>();
    for (Map.Entry<PciAddress, String> e : target.entrySet()) {
      DeviceFacts f = facts.get(e.getKey());
      Target t = Target.vfio(e.getValue());
      if (Steps.reached(f.binding(), t)) {
        notes.add(e.getKey() + ": already bound to " + e.getValue());
      }
      ts.add(new Transition(e.getKey(), f.binding(), t));
    }
    return new Plan(Operation.BIND, ts, req.persist(), notes, overridden);
  }

  public Plan planRelease(List<DeviceSelector> selectors, boolean force) throws IOException {
    List<PciAddress> named = resolve(selectors);
    Map<PciAddress, BindingRecords.Record> recs = records.read();
    SafetyCheck safety = new SafetyCheck(sysfs, env.usage(), driverctl);
    List<Refusal> refusals = new ArrayList<>();
    List<Transition> ts = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    for (PciAddress a : named) {
      DeviceFacts f = reader.read(a);
      Binding b = f.binding();
      if (!VfioDrivers.isVfio(b.driver()) && !VfioDrivers.isVfio(b.override())) {
        notes.add(a + ": not bound to a VFIO driver (" + b.describe() + "), left alone");
        continue;
      }
      refusals.addAll(safety.forRelease(f));
      BindingRecords.Record r = recs.get(a);
      Target t = r != null ? Target.of(r.prior()) : Target.KERNEL_CHOICE;
      if (r == null) {
        notes.add(a + ": no prior driver recorded: override cleared, the kernel picks the driver");
      }
      ts.add(new Transition(a, b, t));
    }
    List<Refusal> overridden = enforce(Operation.RELEASE, refusals, force);
    return new Plan(Operation.RELEASE, ts, false, notes, overridden);
  }

  /** Throws the refusals {@code force} does not cover; returns those it overrides. */
  private static List<Refusal> enforce(Operation op, List<Refusal> refusals, boolean force) {
    List<Refusal> hard = refusals.stream().filter(r -> !r.rule().forceable() || !force).toList();
    if (!hard.isEmpty()) {
      throw new RefusedException(op, hard);
    }
    return List.copyOf(refusals);
  }

  // ---- dry run -----------------------------------------------------------------------------

  /** The writes the plan would make, as shell lines, in order (module loads first). */
  public List<String> dryRun(Plan plan) {
    List<String> out = new ArrayList<>();
    Set<String> modules = new LinkedHashSet<>();
    for (Transition t : plan.transitions()) {
      String d = t.to().driver();
      if (d != null && !Steps.reached(t.from(), t.to()) && !sysfs.exists("bus/pci/drivers/" + d)) {
        modules.add(d);
      }
    }
    modules.forEach(m -> out.add(WriteOp.modprobe(m).shell(env.sysfsDisplayRoot())));
    Map<PciAddress, Binding> predicted = new LinkedHashMap<>();
    plan.transitions().forEach(t -> predicted.put(t.address(), t.from()));
    for (Step step : Steps.WRITE_STEPS) {
      for (Transition t : plan.transitions()) {
        Binding now = predicted.get(t.address());
        for (WriteOp w : Steps.writes(step, t.address(), now, t.to())) {
          out.add(w.shell(env.sysfsDisplayRoot()));
        }
        predicted.put(t.address(), Steps.predict(step, now, t.to()));
      }
    }
    return out;
  }

  // ---- execution ---------------------------------------------------------------------------

  /**
   * Runs a plan all or nothing; on failure everything is restored and a PcikitException says so.
   * {@link #run} is the same with the ending as a value.
   */
  public Outcome execute(Plan plan) throws IOException {
    TransactionResult r = run(plan);
    String op = plan.op().word();
    if (r instanceof TransactionResult.Committed c) {
      return new Outcome(c.done(), c.notes());
    }
    if (r instanceof TransactionResult.NotStarted n) {
      throw new PcikitException(Failure.KERNEL_REFUSED, n.cause() + "; nothing was changed");
    }
    if (r instanceof TransactionResult.RolledBack b) {
      throw new PcikitException(
          Failure.KERNEL_REFUSED,
          op
              + " failed: "
              + b.cause()
              + ". Rolled back: "
              + (b.restored().isEmpty() ? "nothing had changed" : String.join("; ", b.restored())));
    }
    TransactionResult.RollbackIncomplete b = (TransactionResult.RollbackIncomplete) r;
    throw new PcikitException(
        Failure.KERNEL_REFUSED,
        Remedy.RECOVER_LATER,
        op
            + " failed: "
            + b.cause()
            + ". Rollback incomplete: "
            + String.join("; ", b.restored())
            + ". The journal "
            + b.journal()
            + " is kept");
  }

  /**
   * Runs a plan all or nothing and says how it ended. The caller holds the host lock ({@code
   * Host.lock()}).
   *
   * @throws IOException when pcikit's own journal or records cannot be written
   */
  public TransactionResult run(Plan plan) throws IOException {
    List<String> notes = new ArrayList<>(plan.notes());
    List<Transition> work =
        plan.transitions().stream().filter(t -> !Steps.reached(t.from(), t.to())).toList();
    // Load modules before touching any device: a missing module changes nothing.
    for (Transition t : work) {
      String d = t.to().driver();
      if (d != null && !sysfs.exists("bus/pci/drivers/" + d)) {
        try {
          env.modules().load(d);
        } catch (IOException e) {
          return new TransactionResult.NotStarted(
              plan.op(), "cannot load driver " + d + ": " + e.getMessage());
        }
        if (!sysfs.exists("bus/pci/drivers/" + d)) {
          return new TransactionResult.NotStarted(
              plan.op(), "module " + d + " loaded but no PCI driver " + d + " appeared");
        }
      }
    }
    Journal.BindingEntry entry =
        new Journal.BindingEntry(
            plan.op(), plan.persist(), Journal.Phase.RUN, "plan", plan.transitions());
    if (!work.isEmpty()) {
      BatchExecutor ex = new BatchExecutor(sysfs, journal, env.modules());
      Journal.BindingEntry running =
          new Journal.BindingEntry(plan.op(), plan.persist(), Journal.Phase.RUN, "plan", work);
      Optional<BatchExecutor.Failure> failure = ex.forward(running);
      if (failure.isPresent()) {
        Map<PciAddress, BatchExecutor.Restored> restored = ex.restore(running, RESTORE_ATTEMPTS);
        boolean clean = restored.values().stream().allMatch(BatchExecutor.Restored::done);
        List<String> what =
            restored.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList();
        if (clean) {
          journal.pop();
          return new TransactionResult.RolledBack(plan.op(), failure.get().describe(), what);
        }
        return new TransactionResult.RollbackIncomplete(
            plan.op(), failure.get().describe(), what, journal.file());
      }
    }
    Journal.BindingEntry committed = entry.with(Journal.Phase.COMMITTED, "commit");
    if (work.isEmpty()) {
      journal.push(committed);
    } else {
      journal.replaceTop(committed);
    }
    commit(entry);
    journal.pop();
    return new TransactionResult.Committed(plan.op(), work, notes);
  }

  /** Records what a finished transaction did: bindings (for release) and persisted entries. */
  private void commit(Journal.BindingEntry entry) throws IOException {
    Map<PciAddress, BindingRecords.Record> recs = records.read();
    Map<PciAddress, PersistedBindings.Entry> pers = persisted.read();
    boolean persistChanged = false;
    for (Transition t : entry.transitions()) {
      PciAddress a = t.address();
      if (entry.op() == Operation.BIND) {
        BindingRecords.Record old = recs.get(a);
        Binding prior = old != null ? old.prior() : t.from();
        if (old != null || !VfioDrivers.isVfio(prior.driver())) {
          recs.put(a, new BindingRecords.Record(a, t.to().driver(), prior));
        }
        if (entry.persist()) {
          String ids = reader.ids(a);
          pers.put(a, new PersistedBindings.Entry(a, ids, t.to().driver(), fingerprint(a)));
          persistChanged = true;
        }
      } else {
        recs.remove(a);
        persistChanged |= pers.remove(a) != null;
      }
    }
    records.write(recs);
    if (persistChanged) {
      persisted.write(pers);
    }
  }

  /** The device's fingerprint, recorded with a persisted binding; empty when unreadable. */
  private Optional<dev.pcikit.core.identity.Fingerprint> fingerprint(PciAddress a) {
    try {
      return Optional.of(
          new dev.pcikit.core.identity.FingerprintReader(sysfs).read(a).fingerprint());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  // ---- recovery ----------------------------------------------------------------------------

  /**
   * Finishes or undoes the binding transaction a previous run left on top of the journal: a
   * committed one is completed (its records written), anything earlier is undone (every device back
   * to its prior binding), and its entry goes. Returns what was done, empty when the journal's
   * innermost entry is not a binding transaction ({@code Recovery} runs each entry's own recovery,
   * innermost first).
   */
  public Optional<String> recover() throws IOException {
    if (!(journal.top().orElse(null) instanceof Journal.BindingEntry e)) {
      return Optional.empty();
    }
    if (e.phase() == Journal.Phase.COMMITTED) {
      commit(e);
      journal.pop();
      return Optional.of(
          "completed an interrupted "
              + e.op().word()
              + " of "
              + e.transitions().size()
              + " device(s)");
    }
    BatchExecutor ex = new BatchExecutor(sysfs, journal, env.modules());
    Map<PciAddress, BatchExecutor.Restored> restored = ex.restore(e, RESTORE_ATTEMPTS);
    String what =
        restored.entrySet().stream()
            .map(x -> x.getKey() + " " + x.getValue())
            .collect(Collectors.joining("; "));
    if (!restored.values().stream().allMatch(BatchExecutor.Restored::done)) {
      throw new PcikitException(
          Failure.KERNEL_REFUSED,
          "could not undo the interrupted "
              + e.op().word()
              + " (at step "
              + e.step()
              + "): "
              + what
              + "; the journal "
              + journal.file()
              + " is kept");
    }
    journal.pop();
    return Optional.of(
        "undid an interrupted " + e.op().word() + " (stopped at step " + e.step() + "): " + what);
  }

  /**
   * What {@link #recover} would do for this entry, changing nothing: the writes that undo an
   * interrupted transaction (from each device's binding now), or a comment when it only completes
   * records.
   */
  public List<String> dryRunRecover(Journal.BindingEntry e) {
    if (e.phase() == Journal.Phase.COMMITTED) {
      return List.of(
          "# completes the interrupted "
              + e.op().word()
              + " of "
              + e.transitions().size()
              + " device(s): binding records only, no sysfs writes");
    }
    List<Transition> undo = new ArrayList<>();
    for (Transition t : e.transitions()) {
      if (reader.exists(t.address())) {
        undo.add(new Transition(t.address(), reader.binding(t.address()), Target.of(t.from())));
      }
    }
    List<String> out = new ArrayList<>();
    out.add("# undoes the interrupted " + e.op().word() + " (stopped at step " + e.step() + ")");
    out.addAll(dryRun(new Plan(e.op(), undo, false, List.of())));
    return out;
  }

  // ---- persistence & status ----------------------------------------------------------------

  /**
   * Whether a persisted device is there with the IDs it was persisted with; if not, says why in the
   * notes (a renumbered bus must not bind the wrong device at boot).
   */
  public boolean present(PciAddress a, String ids, List<String> notes) {
    if (!reader.exists(a)) {
      notes.add(a + ": persisted but not present, skipped");
      return false;
    }
    String now = reader.ids(a);
    if (!now.equals(ids)) {
      notes.add(a + ": persisted for " + ids + " but the device there is " + now + ", skipped");
      return false;
    }
    return true;
  }

  /**
   * One transaction binding every persisted device that is still the recorded device at its
   * recorded address (its fingerprint, or for an entry without one the IDs); the others are skipped
   * with a note. {@code vfio apply-persisted} runs {@link
   * dev.pcikit.core.identity.PersistedReapply} instead, which also follows a device to a new
   * address, reports replaced and ambiguous devices, and upgrades old entries.
   */
  public Plan planPersisted() throws IOException {
    List<String> notes = new ArrayList<>();
    List<Transition> all = new ArrayList<>();
    Map<PciAddress, PersistedBindings.Entry> entries = persisted();
    Map<PciAddress, dev.pcikit.core.identity.DeviceIdentity> host =
        new dev.pcikit.core.identity.FingerprintReader(sysfs).readAll();
    for (Map.Entry<String, List<PciAddress>> e : persistedByDriver().entrySet()) {
      List<PciAddress> here = new ArrayList<>();
      for (PciAddress a : e.getValue()) {
        Optional<dev.pcikit.core.identity.Fingerprint> fp = entries.get(a).fingerprint();
        if (fp.isPresent()) {
          dev.pcikit.core.identity.Resolution r =
              dev.pcikit.core.identity.FingerprintResolver.resolve(a, fp.get(), host);
          if (r.kind() == dev.pcikit.core.identity.Resolution.Kind.SAME) {
            here.add(a);
          } else {
            notes.add(r.message() + ", skipped");
          }
        } else if (present(a, entries.get(a).ids(), notes)) {
          here.add(a);
        }
      }
      if (!here.isEmpty()) {
        Plan p = planBind(new BindRequest(exactly(here), false, e.getKey(), false, false));
        all.addAll(p.transitions());
        notes.addAll(p.notes());
      }
    }
    return new Plan(Operation.BIND, all, false, notes);
  }

  /** Persisted entries grouped by driver: apply-persisted binds each group in one transaction. */
  public Map<String, List<PciAddress>> persistedByDriver() throws IOException {
    Map<String, List<PciAddress>> out = new TreeMap<>();
    for (PersistedBindings.Entry e : persisted().values()) {
      out.computeIfAbsent(e.driver(), k -> new ArrayList<>()).add(e.address());
    }
    return out;
  }

  /**
   * The persisted bindings; a line naming a driver that is not a VFIO driver makes the whole file
   * unusable (exit 4, nothing bound): a hand-edited or hostile file must not move devices to a
   * driver pcikit cannot release them from.
   */
  public Map<PciAddress, PersistedBindings.Entry> persisted() throws IOException {
    Map<PciAddress, PersistedBindings.Entry> all = persisted.read();
    for (PersistedBindings.Entry e : all.values()) {
      String where = persisted.file() + ": " + e.address();
      String d;
      try {
        d = VfioDriverPolicy.accept(e.driver(), env.chooser()::isVariantModule);
      } catch (PcikitException x) {
        throw new PcikitException(
            Failure.BAD_INPUT,
            where + ": " + x.getMessage() + "; nothing was bound (fix or remove the line)",
            x);
      }
      if (!d.equals(e.driver())) {
        throw new PcikitException(
            Failure.BAD_INPUT,
            where
                + ": driver '"
                + e.driver()
                + "' is spelt "
                + d
                + " by the kernel; nothing was bound");
      }
    }
    return all;
  }

  public Status status() throws IOException {
    List<DeviceFacts> vfio = new ArrayList<>();
    for (PciAddress a : reader.all()) {
      Binding b = reader.binding(a);
      if (VfioDrivers.isVfio(b.driver()) || VfioDrivers.isVfio(b.override())) {
        vfio.add(reader.read(a));
      }
    }
    return new Status(
        vfio,
        records.read(),
        persisted.read(),
        driverctl.all(),
        env.usage().openVfioGroups(),
        journal.pendingBinding());
  }
}
