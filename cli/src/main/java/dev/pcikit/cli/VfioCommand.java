package dev.pcikit.cli;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.holders.GroupHolder;
import dev.pcikit.core.holders.Holders;
import dev.pcikit.core.identity.FingerprintReader;
import dev.pcikit.core.identity.FingerprintResolver;
import dev.pcikit.core.identity.PersistedReapply;
import dev.pcikit.core.model.DeviceSelector;
import dev.pcikit.core.model.PciAddress;
import dev.pcikit.core.vfio.BindingRecords;
import dev.pcikit.core.vfio.DeviceFacts;
import dev.pcikit.core.vfio.Journal;
import dev.pcikit.core.vfio.PersistedBindings;
import dev.pcikit.core.vfio.Refusal;
import dev.pcikit.core.vfio.Transition;
import dev.pcikit.core.vfio.VfioEngine;
import dev.pcikit.core.vfio.VfioEnvironment;
import dev.pcikit.core.vfio.WriteSelection;
import dev.pcikit.formats.Documents;
import dev.pcikit.formats.StatusJson;
import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.node.ObjectNode;

/** {@code pcikit vfio bind|release|status|apply-persisted}. */
@Command(
    mixinStandardHelpOptions = true,
    name = "vfio",
    description =
        "Bind devices to VFIO drivers and back, as transactions (rollback, journal, lock).",
    subcommands = {
      VfioCommand.Bind.class,
      VfioCommand.Release.class,
      VfioCommand.Status.class,
      VfioCommand.ApplyPersisted.class,
    })
final class VfioCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** DEV arguments plus -s / -d, all lspci-style. */
  static final class Devices {
    @Parameters(
        paramLabel = "DEV",
        arity = "0..*",
        description =
            "BDF (0000:01:00.0), slot ([domain:]bus:slot: every function of it) or vendor:device"
                + " (8086:1521); wildcards that would take every device are refused")
    List<String> devices = new ArrayList<>();

    @Option(
        names = "-s",
        paramLabel = "[[DOMAIN:]BUS:]SLOT[.FUNC]",
        description = "lspci -s selector (bus and slot required on a write)")
    List<String> slots = new ArrayList<>();

    @Option(
        names = "-d",
        paramLabel = "VENDOR:DEVICE[:CLASS[:PROGIF]]",
        description = "lspci -d selector (vendor and device required on a write)")
    List<String> ids = new ArrayList<>();

    /** The selectors, checked for a write command (never "everything": WriteSelection). */
    List<DeviceSelector> selectors() {
      List<DeviceSelector> out = new ArrayList<>();
      devices.forEach(d -> out.add(DeviceSelector.parse(d)));
      slots.forEach(d -> out.add(DeviceSelector.slot(d)));
      ids.forEach(d -> out.add(DeviceSelector.ids(d)));
      WriteSelection.checkNarrow(out);
      return out;
    }
  }

  interface Planner {
    VfioEngine.Plan plan(VfioEngine engine) throws IOException;
  }

  /** bind and release: devices to move as one transaction, planned, then printed or run. */
  abstract static class DeviceTransaction implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin Devices devices;
    @Mixin VfioOptions vfio;
    @Mixin WriteOptions write;

    @Option(names = "--force", description = "Override the host-safety rules that allow it")
    boolean force;

    /** What to plan; the selectors are checked here, before the host is opened. */
    abstract Planner planner();

    /** Runs after the plan is printed, before it is executed (not on --dry-run). */
    void beforeExecute(VfioEngine.Plan plan, PrintWriter out) {}

    @Override
    public Integer call() throws IOException {
      GlobalOptions global = GlobalOptions.of(spec);
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      return planAndRun(
          global, vfio, write.dryRun, out, err, planner(), plan -> beforeExecute(plan, out));
    }
  }

  /**
   * Plans, then either prints the writes (--dry-run, no lock, nothing changed) or runs the plan
   * under the lock after recovering any interrupted operation.
   */
  static int planAndRun(
      GlobalOptions global,
      VfioOptions options,
      boolean dryRun,
      PrintWriter out,
      PrintWriter err,
      Planner planner,
      java.util.function.Consumer<VfioEngine.Plan> beforeExecute)
      throws IOException {
    if (dryRun) {
      VfioEngine engine = LockedWork.host(global, options).vfio();
      if (engine.journal().exists()) {
        err.println(
            "pcikit: warning: an interrupted operation is pending ("
                + engine.journal().file()
                + "); the next real run recovers it first");
      }
      VfioEngine.Plan plan = planner.plan(engine);
      printNotes(plan, err);
      engine.dryRun(plan).forEach(out::println);
      out.flush();
      return 0;
    }
    VfioEngine.Outcome o =
        LockedWork.run(
            global,
            options,
            err,
            host -> {
              VfioEngine engine = host.vfio();
              VfioEngine.Plan plan = planner.plan(engine);
              printNotes(plan, err);
              beforeExecute.accept(plan);
              return engine.execute(plan);
            });
    printDone(o, out);
    return 0;
  }

  static void printNotes(VfioEngine.Plan plan, PrintWriter err) {
    List<String> lines = new ArrayList<>();
    for (String n : plan.notes()) {
      lines.add(n.startsWith("warning") ? n : "note: " + n);
    }
    for (Refusal r : plan.overridden()) {
      lines.add("warning (--force): " + Messages.refusal(r));
    }
    Capped.print(err, "", lines, "notes");
  }

  static void printDone(VfioEngine.Outcome o, PrintWriter out) {
    for (Transition t : o.done()) {
      out.println(t.address() + ": " + t.from().describe() + " -> " + t.to().describe());
    }
    if (o.done().isEmpty()) {
      out.println("nothing to do");
    }
    out.flush();
  }

  /** Asks on the terminal unless --yes, --dry-run, or not interactive (scripts, units). */
  static void confirm(VfioEngine.Plan plan, boolean yes, PrintWriter out) {
    Console c = System.console();
    if (yes || c == null || plan.transitions().isEmpty()) {
      return;
    }
    for (Transition t : plan.transitions()) {
      out.println("  " + t.address() + ": " + t.from().describe() + " -> " + t.to().describe());
    }
    out.flush();
    String answer =
        c.readLine("%s these %d device(s)? [y/N] ", plan.op().word(), plan.transitions().size());
    if (answer == null || !answer.strip().toLowerCase(Locale.ROOT).startsWith("y")) {
      throw new PcikitException(Failure.REFUSED, "cancelled; nothing was changed");
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "bind",
      description =
          "Bind devices to a VFIO driver, all or nothing. Refuses a device whose IOMMU group"
              + " would not be viable (--group binds the whole group) and devices the host"
              + " needs (mounted disks, swap, md/dm/LVM, interfaces with addresses or the default"
              + " route, the boot VGA, bridges, PFs with VFs in use, driverctl overrides).")
  static final class Bind extends DeviceTransaction {

    @Option(names = "--group", description = "Bind every endpoint of the devices' IOMMU groups")
    boolean group;

    @Option(
        names = "--driver",
        paramLabel = "NAME",
        description =
            "VFIO driver to use: vfio-pci or a VFIO variant driver (default: chosen from the"
                + " modules' vfio_pci aliases)")
    String driver;

    @Option(
        names = "--persist",
        description = "Re-apply at boot (ROOT/etc/pcikit/vfio-bindings.conf)")
    boolean persist;

    @Override
    Planner planner() {
      VfioEngine.BindRequest req =
          new VfioEngine.BindRequest(devices.selectors(), group, driver, persist, force);
      return engine -> engine.planBind(req);
    }

    @Override
    void beforeExecute(VfioEngine.Plan plan, PrintWriter out) {
      confirm(plan, write.yes, out);
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "release",
      description =
          "Return devices from their VFIO driver to the driver they had before pcikit bound them"
              + " (recorded), or to the kernel's choice. Refused while a VM holds the group open.")
  static final class Release extends DeviceTransaction {
    @Override
    Planner planner() {
      List<DeviceSelector> sel = devices.selectors();
      return engine -> engine.planRelease(sel, force);
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "status",
      description =
          "Devices on VFIO drivers, what pcikit bound (and the prior drivers), persisted"
              + " bindings, driverctl overrides, groups held open, and any interrupted operation.")
  static final class Status implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin VfioOptions vfio;

    @picocli.CommandLine.Mixin OutputOption output;

    @Override
    public Integer call() throws IOException {
      GlobalOptions global = GlobalOptions.of(spec);
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      VfioEnvironment env = LockedWork.host(global, vfio).vfioEnvironment();
      VfioEngine engine = new VfioEngine(env);
      VfioEngine.Status st = engine.status();
      Holders holders = global.host().holders();
      holders.problems().forEach(p -> err.println("pcikit: warning: " + p));
      err.flush();
      if (output.format != OutputFormat.table) {
        ObjectNode doc =
            StatusJson.vfio(
                st,
                new PersistedBindings(env.etcDir()).file(),
                env.etcDir().resolve("driverctl.d"),
                holders,
                // only the VFIO devices' fingerprints are printed: no inventory to reuse
                new FingerprintReader(env.sysfs()));
        Documents.write(doc, output.format.document(), out);
        return 0;
      }
      out.println("VFIO devices:");
      if (st.vfioDevices().isEmpty()) {
        out.println("  none");
      }
      for (DeviceFacts d : st.vfioDevices()) {
        StringBuilder sb = new StringBuilder("  " + d.address() + "  " + d.ids() + "  ");
        sb.append(d.binding().describe());
        if (d.iommuGroup() != null) {
          sb.append("  group ").append(d.iommuGroup());
          List<GroupHolder> who = holders.of(d.address(), d.iommuGroup());
          if (!who.isEmpty()) {
            sb.append(" (open by ")
                .append(String.join(", ", who.stream().map(GroupHolder::describe).toList()))
                .append(")");
          }
        }
        BindingRecords.Record r = st.records().get(d.address());
        sb.append(
            r != null
                ? "  bound by pcikit, prior: " + r.prior().describe()
                : "  not bound by pcikit");
        if (st.persisted().containsKey(d.address())) {
          sb.append("  [persisted]");
        }
        holders
            .assignedTo(d.address())
            .ifPresent(dom -> sb.append("  [libvirt domain ").append(dom.name()).append("]"));
        out.println(sb);
        for (GroupHolder h : who(holders, d)) {
          if (!h.cmdline().isEmpty()) {
            out.println("      pid " + h.pid() + ": " + abbreviate(h.cmdline(), 160));
          }
        }
      }
      out.println("Persisted (" + new PersistedBindings(env.etcDir()).file() + "):");
      if (st.persisted().isEmpty()) {
        out.println("  none");
      }
      for (PersistedBindings.Entry e : st.persisted().values()) {
        out.println(
            "  "
                + e.address()
                + "  "
                + e.ids()
                + "  "
                + e.driver()
                + "  "
                + e.fingerprint()
                    .map(fp -> fp.strength().label() + " (" + FingerprintResolver.anchor(fp) + ")")
                    .orElse("no fingerprint (old format: upgraded by the next apply-persisted)"));
      }
      out.println("driverctl overrides (" + env.etcDir().resolve("driverctl.d") + "):");
      if (st.driverctl().isEmpty()) {
        out.println("  none");
      }
      for (Map.Entry<PciAddress, String> e : st.driverctl().entrySet()) {
        out.println(
            "  "
                + e.getKey()
                + "  "
                + e.getValue()
                + "  (pcikit does not override it without --force)");
      }
      // the journal's operations, innermost first (an 'sriov enable' around the bind it ran)
      List<String> pending = new ArrayList<>();
      List<Journal.Entry> stack = new Journal(env.stateDir()).read();
      for (int i = stack.size() - 1; i >= 0; i--) {
        if (stack.get(i) instanceof Journal.BindingEntry j) {
          pending.add(
              j.op().word()
                  + " of "
                  + j.transitions().size()
                  + " device(s), stopped at step "
                  + j.step());
        } else if (stack.get(i) instanceof Journal.SriovEnableEntry j) {
          pending.add(
              "sriov enable of "
                  + j.pf()
                  + " ("
                  + j.count()
                  + " VFs for "
                  + (j.forVfio() ? "vfio" : "host")
                  + ", the PF had "
                  + j.priorNumVfs()
                  + ")");
        }
      }
      if (pending.isEmpty()) {
        out.println("Interrupted operation: none");
      }
      for (String p : pending) {
        out.println("Interrupted operation: " + p + " (run 'pcikit recover')");
      }
      out.flush();
      return 0;
    }

    private static List<GroupHolder> who(Holders holders, DeviceFacts d) {
      return d.iommuGroup() == null ? List.of() : holders.of(d.address(), d.iommuGroup());
    }

    private static String abbreviate(String s, int max) {
      return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "apply-persisted",
      description =
          "Bind every persisted device in one transaction (run at boot by pcikit-bind.service),"
              + " found by its fingerprint: the same device at a new address (bus numbers"
              + " shifted) is bound there and reported; a different device at the recorded"
              + " address is never bound (exit 11). Entries of the old format are upgraded.")
  static final class ApplyPersisted implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin VfioOptions vfio;

    @Option(
        names = "--on-move",
        paramLabel = "bind|refuse",
        description =
            "A persisted device found at another address: bind it there (default) or refuse"
                + " (not bound, exit 11)")
    String onMove = "bind";

    @Override
    public Integer call() throws IOException {
      GlobalOptions global = GlobalOptions.of(spec);
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      PersistedReapply.MovePolicy policy =
          switch (onMove) {
            case "bind" -> PersistedReapply.MovePolicy.BIND;
            case "refuse" -> PersistedReapply.MovePolicy.REFUSE;
            default ->
                throw new PcikitException(
                    Failure.INVALID_ARGUMENT,
                    "--on-move must be 'bind' or 'refuse', not '" + onMove + "'");
          };
      PersistedReapply.Result r =
          LockedWork.run(
              global,
              vfio,
              err,
              host -> {
                VfioEngine engine = host.vfio();
                VfioEnvironment env = host.environment();
                return new PersistedReapply(
                        engine, env.sysfs(), new PersistedBindings(env.etcDir()))
                    .run(policy);
              });
      List<String> lines = new ArrayList<>();
      for (String n : r.notes()) {
        lines.add(n.startsWith("warning") ? n : "note: " + n);
      }
      Capped.print(err, "", lines, "notes");
      printDone(r.outcome(), out);
      if (r.refused()) {
        err.println(
            "pcikit: some persisted bindings were not applied (see above); "
                + "check the devices, then 'pcikit vfio release' or re-bind with --persist");
        err.flush();
        return ExitCode.IDENTITY_MISMATCH.code();
      }
      return 0;
    }
  }
}
