package dev.pcikit.core.sriov;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.error.Remedy;
import dev.pcikit.core.model.DeviceSelector;
import dev.pcikit.core.model.PciAddress;
import dev.pcikit.core.sysfs.Errno;
import dev.pcikit.core.sysfs.Sysfs;
import dev.pcikit.core.sysfs.SysfsException;
import dev.pcikit.core.vfio.Binding;
import dev.pcikit.core.vfio.DeviceReader;
import dev.pcikit.core.vfio.Journal;
import dev.pcikit.core.vfio.Operation;
import dev.pcikit.core.vfio.Target;
import dev.pcikit.core.vfio.Transition;
import dev.pcikit.core.vfio.VfioDriverPolicy;
import dev.pcikit.core.vfio.VfioDrivers;
import dev.pcikit.core.vfio.VfioEngine;
import dev.pcikit.core.vfio.VfioEnvironment;
import dev.pcikit.core.vfio.WriteOp;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * SR-IOV VF pools: VFs created with host autoprobe off and bound to VFIO in one transaction of the
 * binding engine; safe disable. The kernel's answers (drivers/pci/iov.c sriov_numvfs_store) become
 * messages with the fix. The caller holds the host lock.
 */
public final class SriovPools {
  private final VfioEnvironment env;
  private final Sysfs sysfs;
  private final DeviceReader reader;
  private final Journal journal;

  public SriovPools(VfioEnvironment env) {
    this.env = env;
    this.sysfs = env.sysfs();
    this.reader = new DeviceReader(sysfs);
    this.journal = new Journal(env.stateDir());
  }

  /** The journal (shared with the binding engine: one file, one stack of operations). */
  public Journal journal() {
    return journal;
  }

  /**
   * Detached VFs (PF not visible to this kernel, see {@link DetachedVf}): all of them, or those
   * among {@code which}.
   */
  public List<DetachedVf> detachedVfs(List<PciAddress> which) throws IOException {
    Map<Integer, List<String>> open = env.usage().openVfioGroups();
    List<DetachedVf> out = new ArrayList<>();
    for (PciAddress a : which.isEmpty() ? reader.all() : which) {
      Optional<Integer> vfn = DetachedVf.vfn(sysfs, a);
      if (vfn.isPresent()) {
        Integer g = reader.group(a).orElse(null);
        out.add(
            new DetachedVf(
                a,
                vfn.get(),
                reader.binding(a).driver(),
                g,
                g == null ? List.of() : open.getOrDefault(g, List.of())));
      }
    }
    return out;
  }

  private static String dir(PciAddress a) {
    return DeviceReader.dir(a);
  }

  private int intAttr(PciAddress a, String name) {
    return reader.attributes().dec(a, name).orElse(0);
  }

  public boolean isPf(PciAddress a) {
    return sysfs.exists(dir(a) + "/sriov_totalvfs");
  }

  /** Every PF (a device with sriov_totalvfs), or the named ones. */
  public List<PfStatus> status(List<PciAddress> pfs) throws IOException {
    List<PciAddress> which = pfs.isEmpty() ? reader.all() : pfs;
    Map<Integer, List<String>> open = env.usage().openVfioGroups();
    List<PfStatus> out = new ArrayList<>();
    for (PciAddress a : which) {
      if (!isPf(a)) {
        if (!pfs.isEmpty() && DetachedVf.vfn(sysfs, a).isEmpty()) {
          throw new PcikitException(
              Failure.INVALID_ARGUMENT, a + " is not an SR-IOV PF (no sriov_totalvfs)");
        }
        continue;
      }
      List<PfStatus.VfStatus> vfs = new ArrayList<>();
      for (Map.Entry<Integer, PciAddress> e : reader.attributes().virtfns(a).entrySet()) {
        Integer g = reader.group(e.getValue()).orElse(null);
        vfs.add(
            new PfStatus.VfStatus(
                e.getValue(),
                e.getKey(),
                reader.binding(e.getValue()).driver(),
                g,
                g == null ? List.of() : open.getOrDefault(g, List.of())));
      }
      out.add(
          new PfStatus(
              a,
              intAttr(a, "sriov_totalvfs"),
              intAttr(a, "sriov_numvfs"),
              intAttr(a, "sriov_drivers_autoprobe") != 0,
              reader.binding(a).driver(),
              vfs));
    }
    return out;
  }

  /**
   * Enables {@code count} VFs. For VFIO: autoprobe off first (so no host driver grabs a VF), then
   * every VF bound to {@code driver} (null: the chooser's) in one transaction. For the host:
   * autoprobe on. A different non-zero count goes through 0, refused while a VF is in use.
   */
  public List<PciAddress> enable(PciAddress pf, int count, boolean forVfio, String driver)
      throws IOException {
    // checked before the first write: a refused driver must not leave VFs behind
    driver = acceptDriver(driver);
    PfStatus st = checkEnable(pf, count);
    // Journaled from the first write to the PF until the VFs are bound: a crash in between is
    // finished or undone by recover() (the next locked write, or an explicit recovery).
    Journal.SriovEnableEntry intent =
        new Journal.SriovEnableEntry(pf, forVfio, count, st.numVfs(), st.autoprobe());
    journal.push(intent);
    try {
      if (st.numVfs() != 0 && st.numVfs() != count) {
        write(pf, "sriov_numvfs", "0");
      }
      write(pf, "sriov_drivers_autoprobe", forVfio ? "0" : "1");
      if (intAttr(pf, "sriov_numvfs") != count) {
        write(pf, "sriov_numvfs", Integer.toString(count));
      }
      List<PciAddress> vfs = one(pf).vfs().stream().map(PfStatus.VfStatus::address).toList();
      if (forVfio && !vfs.isEmpty()) {
        VfioEngine engine = new VfioEngine(env);
        engine.execute(planVfBind(engine, vfs, driver));
      }
      journal.pop();
      return vfs;
    } catch (PcikitException e) {
      if (journal.top().orElse(null) instanceof Journal.BindingEntry) {
        throw e; // the bind's rollback is incomplete: recovery finishes it, then this enable
      }
      String undone = undo(intent);
      journal.pop();
      throw new PcikitException(e.failure(), e.remedy(), e.getMessage() + "; " + undone, e);
    }
  }

  /** The VFIO driver asked for (null: the chooser's), refused unless it is one. */
  private String acceptDriver(String driver) {
    return driver == null ? null : VfioDriverPolicy.accept(driver, env.chooser()::isVariantModule);
  }

  /** Binding a PF's VFs to VFIO as one transaction ({@code driver} null: the chooser's). */
  private static VfioEngine.Plan planVfBind(VfioEngine engine, List<PciAddress> vfs, String driver)
      throws IOException {
    List<DeviceSelector> sel = vfs.stream().map(DeviceSelector::of).toList();
    return engine.planBind(new VfioEngine.BindRequest(sel, false, driver, false, false));
  }

  /** The checks {@code enable} makes before its first write; the PF's status. */
  private PfStatus checkEnable(PciAddress pf, int count) throws IOException {
    PfStatus st = one(pf);

    if (count < 1 || count > st.totalVfs()) {
      // a count the device cannot have is a bad argument, not unreadable input
      throw new PcikitException(
          Failure.INVALID_ARGUMENT,
          pf + " supports 1.." + st.totalVfs() + " VFs (sriov_totalvfs); " + count + " asked");
    }
    if (st.driver() == null) {
      throw new PcikitException(
          Failure.REFUSED,
          pf
              + " has no driver: the kernel cannot configure SR-IOV (ENOENT); bind its host driver"
              + " first");
    }
    if (VfioDrivers.isVfio(st.driver())
        && !sysfs.attr("module/vfio_pci/parameters/enable_sriov").orElse("N").startsWith("Y")) {
      throw new PcikitException(
          Failure.REFUSED,
          pf
              + " is on "
              + st.driver()
              + ", which creates VFs only with the module parameter"
              + " vfio_pci enable_sriov=Y (modprobe vfio_pci enable_sriov=1)");
    }
    if (st.numVfs() != 0 && st.numVfs() != count) {
      refuseInUse(st, "change the VF count of");
    }
    return st;
  }

  /**
   * The writes {@link #enable} would make, in order, as shell lines, changing nothing: the PF's
   * attributes, then the bind of the VFs. VFs not created yet are named as the kernel will number
   * them (routing ID of the PF + {@code sriov_offset} + i × {@code sriov_stride}, drivers/pci/iov.c
   * pci_iov_virtfn_bus/devfn) and shown on vfio-pci unless {@code driver} names another.
   */
  public List<String> dryRunEnable(PciAddress pf, int count, boolean forVfio, String driver)
      throws IOException {
    driver = acceptDriver(driver);
    PfStatus st = checkEnable(pf, count);
    String root = env.sysfsDisplayRoot();
    List<String> out = new ArrayList<>();
    if (st.numVfs() != 0 && st.numVfs() != count) {
      out.add(new WriteOp(dir(pf) + "/sriov_numvfs", "0").shell(root));
    }
    out.add(new WriteOp(dir(pf) + "/sriov_drivers_autoprobe", forVfio ? "0" : "1").shell(root));
    VfioEngine engine = new VfioEngine(env);
    if (st.numVfs() == count) {
      if (forVfio) {
        List<PciAddress> vfs = st.vfs().stream().map(PfStatus.VfStatus::address).toList();
        out.addAll(engine.dryRun(planVfBind(engine, vfs, driver)));
      }
      return out;
    }
    out.add(new WriteOp(dir(pf) + "/sriov_numvfs", Integer.toString(count)).shell(root));
    if (forVfio) {
      int offset = intAttr(pf, "sriov_offset");
      int stride = intAttr(pf, "sriov_stride");
      int rid = (pf.bus() << 8) | (pf.device() << 3) | pf.function();
      List<Transition> ts = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int vf = rid + offset + i * stride;
        PciAddress a = new PciAddress(pf.domain(), vf >> 8, (vf >> 3) & 0x1f, vf & 7);
        // autoprobe is off: a new VF has no driver to unbind
        ts.add(new Transition(a, Binding.NONE, Target.vfio(driver != null ? driver : "vfio-pci")));
      }
      out.addAll(engine.dryRun(new VfioEngine.Plan(Operation.BIND, ts, false, List.of())));
    }
    return out;
  }

  /** The writes {@link #disable} would make, in order, as shell lines, changing nothing. */
  public List<String> dryRunDisable(PciAddress pf, boolean force) throws IOException {
    Optional<Disable> d = planDisable(pf, force);
    if (d.isEmpty()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    if (d.get().release() != null) {
      out.addAll(d.get().engine().dryRun(d.get().release()));
    }
    out.add(new WriteOp(dir(pf) + "/sriov_numvfs", "0").shell(env.sysfsDisplayRoot()));
    return out;
  }

  /**
   * Finishes or undoes the {@code sriov enable} a crash interrupted when it is the journal's
   * innermost entry (the bind it ran, if pending, is recovered first), and removes its entry. The
   * rule: if the PF has the asked count and (for VFIO) every VF is on a VFIO driver, the enable is
   * complete and only the journal goes; otherwise the PF goes back: its VF count to 0 if the enable
   * had changed it (VFs a count change destroyed are not recreated), and autoprobe to its prior
   * value. Undoing, rather than binding what is left, keeps one rule for every step: a VF pool
   * either is whole or is not there.
   */
  public Optional<String> recover() throws IOException {
    if (!(journal.top().orElse(null) instanceof Journal.SriovEnableEntry e)) {
      return Optional.empty();
    }
    if (!reader.exists(e.pf())) {
      journal.pop();
      return Optional.of("dropped an interrupted sriov enable of " + e.pf() + ": it is gone");
    }
    PfStatus st = one(e.pf());
    if (complete(e, st)) {
      journal.pop();
      return Optional.of(
          "completed an interrupted sriov enable of " + e.pf() + " (" + e.count() + " VFs)");
    }
    String undone = undo(e);
    journal.pop();
    return Optional.of("undid an interrupted sriov enable of " + e.pf() + ": " + undone);
  }

  /** Whether the PF is as the enable wanted it: the count, and every VF on VFIO when asked. */
  private static boolean complete(Journal.SriovEnableEntry e, PfStatus st) {
    return st.numVfs() == e.count()
        && st.vfs().size() == e.count()
        && (!e.forVfio() || st.vfs().stream().allMatch(v -> VfioDrivers.isVfio(v.driver())));
  }

  /**
   * What {@link #recover} would do for this entry, changing nothing (judged on the host as it is
   * now, before the recovery of the entries above it).
   */
  public List<String> dryRunRecover(Journal.SriovEnableEntry e) throws IOException {
    if (!reader.exists(e.pf())) {
      return List.of("# drops the interrupted sriov enable of " + e.pf() + ": it is gone");
    }
    PfStatus st = one(e.pf());
    if (complete(e, st)) {
      return List.of("# completes the interrupted sriov enable of " + e.pf() + ": no writes");
    }
    String root = env.sysfsDisplayRoot();
    List<String> out = new ArrayList<>();
    out.add("# undoes the interrupted sriov enable of " + e.pf());
    int now = intAttr(e.pf(), "sriov_numvfs");
    if (now != e.priorNumVfs() && now != 0) {
      out.add(new WriteOp(dir(e.pf()) + "/sriov_numvfs", "0").shell(root));
    }
    if ((intAttr(e.pf(), "sriov_drivers_autoprobe") != 0) != e.priorAutoprobe()) {
      out.add(
          new WriteOp(dir(e.pf()) + "/sriov_drivers_autoprobe", e.priorAutoprobe() ? "1" : "0")
              .shell(root));
    }
    return out;
  }

  private String undo(Journal.SriovEnableEntry e) throws IOException {
    int now = intAttr(e.pf(), "sriov_numvfs");
    String what;
    if (now != e.priorNumVfs() && now != 0) {
      write(e.pf(), "sriov_numvfs", "0");
      what = "VFs disabled (" + now + " -> 0)";
    } else {
      what = "VF count left at " + now;
    }
    if ((intAttr(e.pf(), "sriov_drivers_autoprobe") != 0) != e.priorAutoprobe()) {
      write(e.pf(), "sriov_drivers_autoprobe", e.priorAutoprobe() ? "1" : "0");
    }
    return what + ", autoprobe back to " + (e.priorAutoprobe() ? "1" : "0");
  }

  /** Disables the VFs: refused while one is in use; VFs on VFIO are released first. */
  public void disable(PciAddress pf, boolean force) throws IOException {
    Optional<Disable> d = planDisable(pf, force);
    if (d.isEmpty()) {
      return;
    }
    if (d.get().release() != null) {
      d.get().engine().execute(d.get().release());
    }
    write(pf, "sriov_numvfs", "0");
  }

  /** Disabling a PF's VFs: the release of those on VFIO (both null when none is), then count 0. */
  private record Disable(VfioEngine engine, VfioEngine.Plan release) {}

  /** The checked disable of the PF's VFs; empty when it has none. */
  private Optional<Disable> planDisable(PciAddress pf, boolean force) throws IOException {
    PfStatus st = one(pf);
    if (st.numVfs() == 0) {
      return Optional.empty();
    }
    if (!force) {
      refuseInUse(st, "disable the VFs of");
    } else {
      refuseHeld(st, "disable the VFs of");
    }
    List<DeviceSelector> onVfio = new ArrayList<>();
    for (PfStatus.VfStatus vf : st.vfs()) {
      if (VfioDrivers.isVfio(vf.driver())) {
        onVfio.add(DeviceSelector.of(vf.address()));
      }
    }
    if (onVfio.isEmpty()) {
      return Optional.of(new Disable(null, null));
    }
    VfioEngine engine = new VfioEngine(env);
    return Optional.of(new Disable(engine, engine.planRelease(onVfio, force)));
  }

  private PfStatus one(PciAddress pf) throws IOException {
    if (!reader.exists(pf)) {
      throw new PcikitException(Failure.NOT_FOUND, "no PCI device " + pf);
    }
    return status(List.of(pf)).get(0);
  }

  private void refuseHeld(PfStatus st, String what) {
    List<String> held = new ArrayList<>();
    for (PfStatus.VfStatus vf : st.vfs()) {
      if (!vf.heldBy().isEmpty()) {
        held.add(
            vf.address()
                + " (group "
                + vf.group()
                + " open by "
                + String.join(", ", vf.heldBy())
                + ")");
      }
    }
    if (!held.isEmpty()) {
      throw new PcikitException(
          Failure.REFUSED,
          "refused to "
              + what
              + " "
              + st.address()
              + ": VFs in use by a VM: "
              + String.join(", ", held)
              + " (cannot be overridden)");
    }
  }

  /** In use: a group held open, or a VF on a host driver (not VFIO, not none). */
  private void refuseInUse(PfStatus st, String what) {
    refuseHeld(st, what);
    List<String> host = new ArrayList<>();
    for (PfStatus.VfStatus vf : st.vfs()) {
      Binding b = reader.binding(vf.address());
      if (b.hasDriver() && !VfioDrivers.isVfio(b.driver())) {
        host.add(vf.address() + " (" + b.driver() + ")");
      }
    }
    if (!host.isEmpty()) {
      throw new PcikitException(
          Failure.REFUSED,
          Remedy.OVERRIDE_SAFETY_RULES,
          "refused to "
              + what
              + " "
              + st.address()
              + ": VFs bound to host drivers: "
              + String.join(", ", host));
    }
  }

  /** A write to a PF attribute, with the kernel's refusal turned into a message with the fix. */
  private void write(PciAddress pf, String attr, String value) throws IOException {
    try {
      sysfs.write(dir(pf) + "/" + attr, value);
    } catch (SysfsException e) {
      throw new PcikitException(Failure.KERNEL_REFUSED, explain(pf, attr, value, e.errno()), e);
    }
  }

  static String explain(PciAddress pf, String attr, String value, Errno errno) {
    String head =
        "the kernel refused '"
            + value
            + "' > "
            + attr
            + " of "
            + pf
            + ": "
            + errno
            + " ("
            + errno.text()
            + ")";
    if (!attr.equals("sriov_numvfs")) {
      return head;
    }
    return head
        + switch (errno) {
          case ERANGE -> ": more VFs than the PF supports (sriov_totalvfs)";
          case EBUSY -> ": VFs are already enabled; the count goes through 0 first";
          case ENOENT ->
              ": the PF has no driver, or its driver cannot create VFs (a PF on vfio-pci"
                  + " needs vfio_pci enable_sriov=Y)";
          default -> "";
        };
  }

  public Optional<PfStatus> find(PciAddress pf) throws IOException {
    return isPf(pf) ? Optional.of(one(pf)) : Optional.empty();
  }
}
