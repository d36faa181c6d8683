package dev.pcikit.sim.snapshot;

import dev.pcikit.core.model.PciAddress;
import dev.pcikit.core.sysfs.DirectorySysfs;
import dev.pcikit.core.sysfs.Sysfs;
import dev.pcikit.core.sysfs.SysfsException;
import dev.pcikit.core.text.SafeText;
import dev.pcikit.sim.DeviceTree;
import dev.pcikit.sim.DriverSpec;
import dev.pcikit.sim.HostSysfs;
import dev.pcikit.sim.SimKernel;
import dev.pcikit.sim.SpecialFile;
import dev.pcikit.sim.SysfsPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Records a host's PCI sysfs from any {@link Sysfs} into the snapshot format, exactly as the shell
 * recorder (scripts/pcikit-record.sh) does: each device directory reached through {@code
 * bus/pci/devices/BDF}, its entries in name order, links recorded and never followed, {@code
 * power/}, {@code msi_irqs/} and {@code link/} expanded one level. File modes and sizes come from
 * the file system for a {@link DirectorySysfs}, from the recorded special files for a {@link
 * HostSysfs}.
 */
public final class SysfsRecorder {
  private static final Pattern STAT_NAMES =
      Pattern.compile("resource[0-9].*|rom|vpd|remove|rescan|reset");
  private static final Pattern BDF_PREFIX = Pattern.compile("^[0-9a-f]{4}:.*");

  private final Sysfs sysfs;
  private final HostSysfs host; // when recording a simulated or loaded host
  private final Path dir; // when recording a directory tree
  private final List<String> out = new ArrayList<>();

  private SysfsRecorder(Sysfs sysfs) {
    this.sysfs = sysfs;
    this.host = sysfs instanceof SimKernel k ? k.host() : sysfs instanceof HostSysfs h ? h : null;
    this.dir = sysfs instanceof DirectorySysfs d ? d.root() : null;
  }

  /** The snapshot text of a host (lines joined with '\n', ending with a newline). */
  public static String record(Sysfs sysfs) throws IOException {
    SysfsRecorder r = new SysfsRecorder(sysfs);
    r.recordAll();
    return String.join("\n", r.out) + "\n";
  }

  /**
   * As {@link #record}, checked by the reader: pcikit never writes a snapshot it would refuse to
   * read back (a tree under --root can hold names or links the format cannot express). A tree that
   * cannot be recorded is {@link dev.pcikit.core.error.Failure#BAD_INPUT} with the reader's reason.
   */
  public static String recordChecked(Sysfs sysfs) throws IOException {
    String text = record(sysfs);
    try {
      SnapshotReader.read(text, "(being recorded)");
    } catch (dev.pcikit.core.error.PcikitException e) {
      throw new dev.pcikit.core.error.PcikitException(
          dev.pcikit.core.error.Failure.BAD_INPUT,
          "cannot record this host: the snapshot would not read back: " + e.getMessage(),
          e);
    }
    return text;
  }

  private void recordAll() throws IOException {
    out.add(SnapshotFormat.begin(SnapshotFormat.VERSION));
    out.addAll(SnapshotFormat.HEADER_COMMENT);
    out.add("# recorded by pcikit");
    if (host != null) {
      for (Map.Entry<String, String> e : host.info().entrySet()) {
        out.add("H " + e.getKey() + " " + e.getValue());
      }
    }
    List<String> bdfs =
        sysfs.exists(DeviceTree.DEVICES) ? sysfs.list(DeviceTree.DEVICES) : List.of();
    for (String bdf : bdfs) {
      String link = sysfs.readLink(DeviceTree.DEVICES + "/" + bdf).orElse("");
      out.add("D " + bdf + " /sys/" + SysfsPaths.resolve(DeviceTree.DEVICES, link));
      recordDir(bdf, DeviceTree.DEVICES + "/" + bdf, "", true);
    }
    recordGroups();
    recordDrivers();
    recordParams();
    if (host != null) {
      recordSimulation();
    }
    out.add(SnapshotFormat.END);
  }

  private void recordDir(String bdf, String path, String prefix, boolean top) throws IOException {
    for (String name : sysfs.list(path)) {
      String p = path + "/" + name;
      String label = prefix + name;
      Optional<String> target = sysfs.readLink(p);
      if (target.isPresent()) {
        out.add("L " + bdf + " " + label + " " + target.get());
        continue;
      }
      if (isDirectory(p)) {
        out.add("d " + bdf + " " + label);
        if (top && SnapshotFormat.EXPANDED_DIRS.contains(name)) {
          recordDir(bdf, p, name + "/", false);
        }
        continue;
      }
      FileKind k = kind(p);
      if (name.equals("config")) {
        out.add("B " + bdf + " " + label + " " + b64(sysfs.readBytes(p, 1 << 16)));
      } else if (k.special != null && k.special.kind() == SpecialFile.Kind.ERROR) {
        out.add("E " + bdf + " " + label + " " + k.special.error());
      } else if (STAT_NAMES.matcher(name).matches()) {
        out.add("S " + bdf + " " + label + " " + k.mode + " " + k.size);
      } else if (k.mode.equals(SpecialFile.WRITE_ONLY_MODE)) {
        out.add("W " + bdf + " " + label + " " + k.mode);
      } else {
        content(bdf, label, p);
      }
    }
  }

  private void content(String bdf, String label, String p) {
    byte[] b;
    try {
      b = sysfs.readBytes(p, 1 << 20);
    } catch (IOException e) {
      String err =
          SysfsException.errnoOf(e).map(x -> x.text()).orElse(String.valueOf(e.getMessage()));
      out.add("E " + bdf + " " + label + " " + err);
      return;
    }
    Optional<String> text = utf8(b);
    if (b.length == 0 || b[b.length - 1] != '\n' || text.isEmpty() || hasControl(text.get())) {
      // NUL, ESC, CR...: kept exact in base64, and a snapshot stays safe to print
      out.add("M " + bdf + " " + label + " " + b64(b));
      return;
    }
    String[] lines = text.get().substring(0, text.get().length() - 1).split("\n", -1);
    if (lines.length == 1) {
      out.add("A " + bdf + " " + label + " " + lines[0]);
    } else {
      out.add("T " + bdf + " " + label + " " + lines.length);
      for (String l : lines) {
        out.add("| " + l);
      }
    }
  }

  private void recordGroups() throws IOException {
    if (!sysfs.exists(DeviceTree.GROUPS)) {
      return;
    }
    List<Integer> groups = new ArrayList<>();
    for (String g : sysfs.list(DeviceTree.GROUPS)) {
      try {
        groups.add(Integer.parseInt(g));
      } catch (NumberFormatException e) {
        // not a group
      }
    }
    groups.sort(null);
    for (int g : groups) {
      String gd = DeviceTree.GROUPS + "/" + g;
      String type = sysfs.exists(gd + "/type") ? firstLine(sysfs.readText(gd + "/type")) : "";
      out.add("G " + g + " type " + type);
      StringBuilder devs = new StringBuilder();
      if (sysfs.exists(gd + "/devices")) {
        for (String d : sysfs.list(gd + "/devices")) {
          devs.append(d).append(' ');
        }
      }
      out.add("G " + g + " devices " + devs);
      byte[] rr =
          sysfs.exists(gd + "/reserved_regions")
              ? sysfs.readBytes(gd + "/reserved_regions", 1 << 16)
              : new byte[0];
      out.add("G " + g + " reserved_regions_b64 " + b64(rr));
    }
  }

  private void recordDrivers() throws IOException {
    if (!sysfs.exists(DeviceTree.DRIVERS)) {
      return;
    }
    for (String d : sysfs.list(DeviceTree.DRIVERS)) {
      StringBuilder sb = new StringBuilder("R " + d + " ");
      for (String n : sysfs.list(DeviceTree.DRIVERS + "/" + d)) {
        if (BDF_PREFIX.matcher(n).matches()) {
          sb.append(n).append(' ');
        }
      }
      out.add(sb.toString());
    }
  }

  private void recordParams() throws IOException {
    for (String m : SnapshotFormat.PARAM_MODULES) {
      String pd = "module/" + m + "/parameters";
      if (!sysfs.exists(pd)) {
        continue;
      }
      for (String p : sysfs.list(pd)) {
        try {
          String v = sysfs.readText(pd + "/" + p);
          if (v.endsWith("\n")) {
            out.add("P " + m + " " + p + " " + firstLine(v));
          }
        } catch (IOException e) {
          // unreadable parameter: the shell recorder skips it too
        }
      }
    }
  }

  private void recordSimulation() {
    if (host.hasCatalog()) {
      for (DriverSpec d : host.catalog().all()) {
        String flags =
            d.flags().isEmpty()
                ? "-"
                : String.join(
                    ",",
                    d.flags().stream()
                        .map(f -> f.name().toLowerCase(Locale.ROOT))
                        .sorted()
                        .toList());
        String module = d.module().isEmpty() ? "-" : d.module();
        if (d.aliases().isEmpty()) {
          out.add("K " + d.name() + " " + module + " " + flags + " -");
        }
        for (String a : d.aliases()) {
          out.add("K " + d.name() + " " + module + " " + flags + " " + a);
        }
      }
    }
    for (Map.Entry<String, List<String>> e : host.dynids().entrySet()) {
      for (String id : e.getValue()) {
        out.add("Y " + e.getKey() + " " + id);
      }
    }
    for (Map.Entry<String, Map<String, String>> e : host.allProps().entrySet()) {
      if (!PciAddress.isAddress(e.getKey())) {
        continue;
      }
      for (Map.Entry<String, String> p : e.getValue().entrySet()) {
        out.add("N " + e.getKey() + " " + p.getKey() + " " + p.getValue());
      }
    }
  }

  // ---- file kinds -----------------------------------------------------------------------------

  private record FileKind(String mode, long size, SpecialFile special) {}

  private boolean isDirectory(String p) {
    if (dir != null) {
      return Files.isDirectory(dir.resolve(p), LinkOption.NOFOLLOW_LINKS)
          || Files.isDirectory(dir.resolve(p));
    }
    if (host != null) {
      return host.isDirectory(p);
    }
    try {
      sysfs.list(p);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private FileKind kind(String p) throws IOException {
    if (dir != null) {
      PosixFileAttributes a = Files.readAttributes(dir.resolve(p), PosixFileAttributes.class);
      String mode = "-" + PosixFilePermissions.toString(a.permissions());
      if (mode.equals(TreeMaterializer.ERROR_MODE)) {
        String err =
            new String(
                dev.pcikit.core.io.InputFiles.read(dir.resolve(p), 4096, "recorded error"),
                StandardCharsets.UTF_8);
        return new FileKind(mode, a.size(), SpecialFile.error(err));
      }
      return new FileKind(mode, a.size(), null);
    }
    if (host != null) {
      Optional<SpecialFile> s = host.special(p);
      if (s.isPresent()) {
        return new FileKind(s.get().mode(), s.get().size(), s.get());
      }
      return new FileKind("-rw-r--r--", 4096, null);
    }
    return new FileKind("-rw-r--r--", 4096, null);
  }

  private static Optional<String> utf8(byte[] b) {
    return dev.pcikit.core.io.InputFiles.strictUtf8(b);
  }

  /**
   * Content with a character pcikit would escape on a terminal (NUL, ESC, CR, C1, bidi controls) is
   * recorded as base64: `pcikit snapshot > FILE` prints through the terminal-safe writer, and the
   * file must hold the exact bytes. (The shell recorder checks the C0 bytes and DEL.)
   */
  private static boolean hasControl(String s) {
    return s.codePoints().anyMatch(c -> c != '\n' && c != '\t' && SafeText.unsafeForTerminal(c));
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }
}
