package dev.pcikit.cli;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.modalias.AliasIndex;
import dev.pcikit.core.modalias.Lookup;
import dev.pcikit.core.modalias.ModprobeConfig;
import dev.pcikit.core.modalias.ModuleAliases;
import dev.pcikit.core.modalias.PciModalias;
import dev.pcikit.core.modalias.VfioChoice;
import dev.pcikit.core.model.PciAddress;
import dev.pcikit.core.sysfs.Sysfs;
import dev.pcikit.core.sysfs.SystemRoot;
import dev.pcikit.formats.Documents;
import dev.pcikit.formats.DriversJson;
import dev.pcikit.formats.DriversJson.Entry;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pcikit drivers}: the kernel modules that would drive a device (as udev would load them)
 * and the VFIO driver pcikit would bind it to, resolved exactly as kmod's {@code modprobe -R}.
 */
@Command(
    name = "drivers",
    mixinStandardHelpOptions = true,
    description = {
      "Kernel modules for PCI devices: the host drivers udev would load and the VFIO drivers"
          + " (vfio_pci: aliases, Linux >= 5.15), with the one pcikit would bind and why.",
      "Resolution is kmod's (modprobe -R): modprobe.d aliases first, then modules.alias in"
          + " module order, a module once per matching line.",
      "VFIO choice: the matching vfio_pci alias with the fewest '*' (Linux commit cc6711b0bf36,"
          + " libvirt's rule); ties go to the first in modules.alias order; --driver always wins."
    })
final class DriversCommand implements Runnable {

  @Parameters(paramLabel = "DEV", description = "PCI address ([domain:]bus:device.function)")
  List<String> devices = new ArrayList<>();

  @Option(
      names = "--modalias",
      arity = "1..*",
      paramLabel = "STRING",
      description = "Resolve these modalias strings instead of devices")
  List<String> modaliases = new ArrayList<>();

  @Option(
      names = "--modules-dir",
      paramLabel = "DIR",
      description = "Read DIR/lib/modules/VER instead of the system root's modules")
  Path modulesDir;

  @Option(
      names = "--kernel-release",
      paramLabel = "VER",
      description =
          "Kernel release (default: the root's proc/sys/kernel/osrelease, or the only release"
              + " under --modules-dir)")
  String release;

  @Option(
      names = "--modprobe-config",
      paramLabel = "PATH",
      description =
          "modprobe.d directory or file, repeatable; replaces the default search path like kmod's"
              + " -C (default: ROOT/etc/modprobe.d, /run, /usr/local/lib, /usr/lib, /lib)")
  List<Path> configPaths;

  @Option(
      names = "--driver",
      paramLabel = "NAME",
      description = "VFIO driver to use whatever the rule picks")
  String driver;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      converter = OutputFormat.WithText.class,
      description = "table (default; 'text' also), json or yaml")
  OutputFormat output = OutputFormat.table;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private GlobalOptions global;
  private final List<String> notes = new ArrayList<>();

  @Override
  public void run() {
    global = GlobalOptions.of(spec);
    if (devices.isEmpty() == modaliases.isEmpty()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "give either devices (DEV...) or --modalias STRING...");
    }
    List<String[]> inputs = new ArrayList<>();
    if (!devices.isEmpty()) {
      Sysfs sysfs = global.sysfs();
      for (String d : devices) {
        PciAddress a = address(d);
        inputs.add(new String[] {a.toString(), readModalias(sysfs, a)});
      }
    } else {
      for (String m : modaliases) {
        inputs.add(new String[] {null, m});
      }
    }
    AliasIndex index = loadIndex();
    List<Entry> entries = new ArrayList<>();
    for (String[] in : inputs) {
      Lookup host = index.lookup(in[1]);
      VfioChoice vfio = index.chooseVfio(in[1], Optional.ofNullable(driver));
      List<String> black =
          host.modules().stream()
              .filter(m -> index.config().blacklist().contains(m))
              .distinct()
              .toList();
      entries.add(new Entry(Optional.ofNullable(in[0]), host, vfio, black));
    }
    PrintWriter out = spec.commandLine().getOut();
    if (output != OutputFormat.table) {
      Documents.write(DriversJson.document(index, entries, notes), output.document(), out);
    } else {
      PrintWriter err = spec.commandLine().getErr();
      Capped.print(err, "warning: ", index.warnings(), "warnings");
      Capped.print(err, "note: ", notes, "notes");
      text(out, entries);
    }
    out.flush();
  }

  private static PciAddress address(String text) {
    try {
      return PciAddress.parse(text);
    } catch (IllegalArgumentException e) {
      throw new PcikitException(Failure.INVALID_ARGUMENT, e.getMessage());
    }
  }

  private String readModalias(Sysfs sysfs, PciAddress a) {
    PciModalias m = PciModalias.read(sysfs, a);
    if (m.synthesized()) {
      notes.add(a + ": no modalias attribute; built from its ID attributes as the kernel does");
    }
    return m.value();
  }

  private AliasIndex loadIndex() {
    if (modulesDir == null && release == null && configPaths == null) {
      return global.host().moduleAliases(); // the host's own kernel (a --host's simulated one)
    }
    SystemRoot root = global.systemRoot();
    SystemRoot modulesRoot = modulesDir == null ? root : new SystemRoot(modulesDir);
    String ver = release;
    if (ver == null) {
      ver = modulesDir == null ? ModuleAliases.runningRelease(root) : onlyRelease(modulesRoot);
    }
    List<Path> config =
        configPaths != null ? configPaths : ModprobeConfig.defaultPaths(root.root());
    return ModuleAliases.load(modulesRoot.modules().resolve(ver), config, ver);
  }

  private static String onlyRelease(SystemRoot modulesRoot) {
    Path dir = modulesRoot.modules();
    List<String> releases;
    try (Stream<Path> s = Files.list(dir)) {
      releases = s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).toList();
    } catch (IOException e) {
      throw new PcikitException(Failure.NOT_FOUND, dir + ": cannot list: " + e.getMessage());
    }
    if (releases.size() != 1) {
      throw new PcikitException(
          Failure.INVALID_ARGUMENT,
          dir
              + " holds "
              + releases.size()
              + " kernel releases "
              + releases
              + "; give --kernel-release");
    }
    return releases.get(0);
  }

  private static void text(PrintWriter out, List<Entry> entries) {
    for (Entry e : entries) {
      out.println(e.device().map(d -> d + "  ").orElse("") + e.host().input());
      out.println("  host modules:  " + modules(e.host()) + source(e.host()));
      if (!e.blacklisted().isEmpty()) {
        out.println("  blacklisted:   " + String.join(", ", e.blacklisted()) + " (udev skips)");
      }
      VfioChoice v = e.vfio();
      out.println(
          "  vfio modules:  "
              + (v.candidates().isEmpty() ? "-" : String.join(", ", v.candidateModules())));
      // the core says "named by the user"; here the user named it with --driver
      String reason =
          v.byUser()
              ? v.reason().replaceFirst("^named by the user", "named by the user (--driver)")
              : v.reason();
      out.println("  vfio driver:   " + v.chosen().orElse("-") + " (" + reason + ")");
    }
  }

  private static String modules(Lookup l) {
    return l.matches().isEmpty() ? "-" : String.join(", ", l.modules());
  }

  private static String source(Lookup l) {
    return switch (l.source()) {
      case CONFIG -> "  [modprobe.d alias: " + l.matches().get(0).origin() + "]";
      case BUILTIN_ALIAS, BUILTIN_MODULE -> "  [built in]";
      case COMMAND -> "  [modprobe.d install/remove: " + l.matches().get(0).origin() + "]";
      default -> "";
    };
  }
}
