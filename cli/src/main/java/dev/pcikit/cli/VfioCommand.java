package dev.pcikit.cli;

import dev.pcikit.core.error.ExitCode;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.holders.GroupHolder;
import dev.pcikit.core.holders.Holders;
import dev.pcikit.core.identity.DeviceIdentity;
import dev.pcikit.core.identity.FingerprintReader;
import dev.pcikit.core.identity.FingerprintResolver;
import dev.pcikit.core.identity.PersistedReapply;
import dev.pcikit.core.model.PciAddress;
import dev.pcikit.core.vfio.BindingRecords;
import dev.pcikit.core.vfio.DeviceFacts;
import dev.pcikit.core.vfio.DeviceSelector;
import dev.pcikit.core.vfio.PersistedBindings;
import dev.pcikit.core.vfio.Transition;
import dev.pcikit.core.vfio.VfioEngine;
import dev.pcikit.core.vfio.VfioEnvironment;
import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

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
            "BDF (0000:01:00.0), slot selector ([[domain:]bus:]slot[.func], '*' allowed) or"
                + " vendor:device (8086:1521)")
    List<String> devices = new ArrayList<>();

    @Option(
        names = "-s",
        paramLabel = "[[DOMAIN:]BUS:]SLOT[.FUNC]",
        description = "lspci -s selector")
    List<String> slots = new ArrayList<>();

    @Option(
        names = "-d",
        paramLabel = "[VENDOR]:[DEVICE][:CLASS]",
        description = "lspci -d selector")
    List<String> ids = new ArrayList<>();

    List<DeviceSelector> selectors() {
      List<DeviceSelector> out = new ArrayList<>();
      try {
        devices.forEach(d -> out.add(DeviceSelector.parse(d)));
        slots.forEach(d -> out.add(DeviceSelector.slot(d)));
        ids.forEach(d -> out.add(DeviceSelector.ids(d)));
      } catch (IllegalArgumentException e) {
        throw new PcikitException(ExitCode.USAGE, e.getMessage());
      }
      if (out.isEmpty()) {
        throw new PcikitException(ExitCode.USAGE, "name at least one device (DEV, -s or -d)");
      }
      return out;
    }
  }

  interface Planner {
    VfioEngine.Plan plan(VfioEngine engine) throws IOException;
  }

  /**
   * Plans, then either prints the writes (--dry-run, no lock, nothing changed) or runs the plan
   * under the lock after recovering any interrupted operation.
   */
  static int planAndRun(
      GlobalOptions global,
      VfioEnvironment env,
      boolean dryRun,
      PrintWriter out,
      PrintWriter err,
      Planner planner,
      java.util.function.Consumer<VfioEngine.Plan> beforeExecute)
      throws IOException {
    if (dryRun) {
      VfioEngine engine = new VfioEngine(env);
      if (engine.journal().exists()) {
        err.println(
            "pcikit: warning: an interrupted operation is pending ("
                + engine.journal().file()
                + "); the next real run recovers it first");
      }
      VfioEngine.Plan plan = planner.plan(engine);
      printNotes(plan.notes(), err);
      engine.dryRun(plan).forEach(out::println);
      out.flush();
      return 0;
    }
    VfioEngine.Outcome o =
        VfioHost.locked(
            global,
            env,
            err,
            engine -> {
              VfioEngine.Plan plan = planner.plan(engine);
              printNotes(plan.notes(), err);
              beforeExecute.accept(plan);
              return engine.execute(plan);
            });
    printDone(o, out);
    return 0;
  }

  static void printNotes(List<String> notes, PrintWriter err) {
    for (String n : notes) {
      err.println("pcikit: " + (n.startsWith("warning") ? n : "note: " + n));
    }
    err.flush();
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
        c.readLine("%s these %d device(s)? [y/N] ", plan.op(), plan.transitions().size());
    if (answer == null || !answer.strip().toLowerCase().startsWith("y")) {
      throw new PcikitException(ExitCode.REFUSED, "cancelled; nothing was changed");
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
  static final class Bind implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin Devices devices;
    @Mixin VfioOptions vfio;

    @Option(names = "--group", description = "Bind every endpoint of the devices' IOMMU groups")
    boolean group;

    @Option(
        names = "--driver",
        paramLabel = "NAME",
        description = "VFIO driver to use (default: chosen from the modules' vfio_pci aliases)")
    String driver;

    @Option(
        names = "--dry-run",
        description = "Print the exact writes as shell lines; change nothing")
    boolean dryRun;

    @Option(
        names = "--persist",
        description = "Re-apply at boot (ROOT/etc/pcikit/vfio-bindings.conf)")
    boolean persist;

    @Option(names = "--force", description = "Override the host-safety rules that allow it")
    boolean force;

    @Option(names = "--yes", description = "Do not ask for confirmation on a terminal")
    boolean yes;

    @Override
    public Integer call() throws IOException {
      GlobalOptions global = GlobalOptions.of(spec);
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      VfioEnvironment env = VfioHost.environment(global, vfio.stateDir, vfio.lockTimeout);
      VfioEngine.BindRequest req =
          new VfioEngine.BindRequest(devices.selectors(), group, driver, persist, force);
      return planAndRun(
          global,
          env,
          dryRun,
          out,
          err,
          engine -> engine.planBind(req),
          plan -> confirm(plan, yes, out));
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "release",
      description =
          "Return devices from their VFIO driver to the driver they had before pcikit bound them"
              + " (recorded), or to the kernel's choice. Refused while a VM holds the group open.")
  static final class Release implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin Devices devices;
    @Mixin VfioOptions vfio;

    @Option(names = "--force", description = "Override the host-safety rules that allow it")
    boolean force;

    @Option(
        names = "--dry-run",
        description = "Print the exact writes as shell lines; change nothing")
    boolean dryRun;

    @Override
    public Integer call() throws IOException {
      GlobalOptions global = GlobalOptions.of(spec);
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      VfioEnvironment env = VfioHost.environment(global, vfio.stateDir, vfio.lockTimeout);
      List<DeviceSelector> sel = devices.selectors();
      return planAndRun(
          global, env, dryRun, out, err, engine -> engine.planRelease(sel, force), plan -> {});
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

    @Option(
        names = {"-o", "--output"},
        paramLabel = "FORMAT",
        description = "table (default), json or yaml (schema pcikit/vfio-status/v1)")
    OutputFormat output = OutputFormat.table;

    @Override
    public Integer call() throws IOException {
      GlobalOptions global = GlobalOptions.of(spec);
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      VfioEnvironment env = VfioHost.environment(global, vfio.stateDir, vfio.lockTimeout);
      VfioEngine engine = new VfioEngine(env);
      VfioEngine.Status st = engine.status();
      Holders holders = HolderAccess.holders(global);
      holders.problems().forEach(p -> err.println("pcikit: warning: " + p));
      err.flush();
      Map<PciAddress, DeviceIdentity> ids = new FingerprintReader(env.sysfs()).readAll();
      if (output != OutputFormat.table) {
        Structured.write(VfioStatusJson.status(st, holders, ids), output, out);
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
      out.println(
          "Interrupted operation: "
              + st.pendingJournal()
                  .map(
                      j ->
                          j.op()
                              + " of "
                              + j.transitions().size()
                              + " device(s), stopped at step "
                              + j.step()
                              + " (run 'pcikit recover')")
                  .orElse("none"));
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
                    ExitCode.USAGE, "--on-move must be 'bind' or 'refuse', not '" + onMove + "'");
          };
      VfioEnvironment env = VfioHost.environment(global, vfio.stateDir, vfio.lockTimeout);
      PersistedReapply.Result r =
          VfioHost.locked(
              global,
              env,
              err,
              engine ->
                  new PersistedReapply(engine, env.sysfs(), new PersistedBindings(env.etcDir()))
                      .run(policy));
      printNotes(r.notes(), err);
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
