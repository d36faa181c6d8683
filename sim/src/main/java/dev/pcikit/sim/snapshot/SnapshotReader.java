package dev.pcikit.sim.snapshot;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.model.PciAddress;
import dev.pcikit.sim.DeviceTree;
import dev.pcikit.sim.DriverCatalog;
import dev.pcikit.sim.DriverSpec;
import dev.pcikit.sim.HostSysfs;
import dev.pcikit.sim.LinkChains;
import dev.pcikit.sim.SpecialFile;
import dev.pcikit.sim.SysfsPaths;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a snapshot (v1 or v2) into a {@link HostSysfs}. All or nothing: the whole text is checked
 * first (header and version, END line, every record, base64, T line counts, paths that stay inside
 * the tree), and any problem is one {@link PcikitException} with {@link
 * dev.pcikit.core.error.Failure#BAD_INPUT} naming the line; a tree is only returned complete.
 */
public final class SnapshotReader {
  private static final Pattern MODE =
      Pattern.compile("[-dl][-r][-w][-xsS][-r][-w][-xsS][-r][-w][-xtT]");
  private static final Pattern NAME =
      Pattern.compile("[A-Za-z0-9_.:@+,=-]+(/[A-Za-z0-9_.:@+,=-]+)?");
  private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_.:@+,=-]+");

  private final String source;
  private final List<Runnable> actions = new ArrayList<>();
  private final Map<String, String> deviceDirs = new LinkedHashMap<>();
  private final Map<Integer, List<String>> groupDevices = new LinkedHashMap<>();
  private final Map<String, List<String>> driverDevices = new LinkedHashMap<>();

  /** What each record sets, with its line: a second record for the same thing is an error. */
  private final Map<String, Integer> claimed = new java.util.HashMap<>();

  private DriverCatalog catalog;
  private int lineNo;

  private SnapshotReader(String source) {
    this.source = source;
  }

  /** Parses snapshot text; {@code source} names it in error messages (a file name). */
  public static HostSysfs read(String text, String source) {
    SnapshotReader r = new SnapshotReader(source);
    HostSysfs fs = new HostSysfs();
    r.parse(text, fs);
    try {
      for (Runnable a : r.actions) {
        a.run();
      }
      r.finish(fs);
    } catch (RuntimeException e) {
      throw new PcikitException(
          Failure.BAD_INPUT, "snapshot " + source + ": inconsistent tree: " + e.getMessage(), e);
    }
    // each L record's target was checked alone; chains through other links only now
    LinkChains.firstEscape(fs)
        .ifPresent(
            why -> {
              throw new PcikitException(Failure.BAD_INPUT, "snapshot " + source + ": " + why);
            });
    return fs;
  }

  private PcikitException bad(String msg) {
    return new PcikitException(
        Failure.BAD_INPUT, "snapshot " + source + " line " + lineNo + ": " + msg);
  }

  private void parse(String text, HostSysfs fs) {
    String[] lines = text.split("\n", -1);
    int i = 0;
    while (i < lines.length && lines[i].isBlank()) {
      i++;
    }
    lineNo = i + 1;
    if (i >= lines.length) {
      throw bad("empty file, not a PCI sysfs snapshot");
    }
    Matcher m = SnapshotFormat.BEGIN.matcher(lines[i].strip());
    if (!m.matches()) {
      throw bad("not a PCI sysfs snapshot (no '=====BEGIN PCI SYSFS SNAPSHOT vN=====' line)");
    }
    // any number of digits: a version too large for an int is still a newer version, not garbage
    String digits = m.group(1).replaceFirst("^0+(?=.)", "");
    int version = digits.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(digits);
    if (version > SnapshotFormat.VERSION) {
      throw new PcikitException(
          Failure.BAD_INPUT,
          "snapshot "
              + source
              + " is format v"
              + (digits.length() > 20 ? digits.substring(0, 20) + "..." : digits)
              + ", newer than this pcikit reads (v1 to v"
              + SnapshotFormat.VERSION
              + "); upgrade pcikit");
    }
    if (version < 1) {
      throw bad("unknown snapshot format v" + version);
    }
    boolean ended = false;
    for (i++; i < lines.length; i++) {
      lineNo = i + 1;
      String line = lines[i];
      if (ended) {
        if (!line.isBlank()) {
          throw bad("text after the END line");
        }
        continue;
      }
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.equals(SnapshotFormat.END)) {
        ended = true;
        continue;
      }
      if (line.startsWith("=====")) {
        throw bad("unexpected marker line");
      }
      int consumed = record(line, lines, i, version, fs);
      i += consumed;
    }
    if (!ended) {
      lineNo = lines.length;
      throw bad("truncated: no '" + SnapshotFormat.END + "' line");
    }
  }

  /** Parses one record; returns how many following lines it consumed ({@code T}). */
  private int record(String line, String[] lines, int index, int version, HostSysfs fs) {
    int sp = line.indexOf(' ');
    if (sp != 1) {
      throw bad("not a record: '" + abbreviate(line) + "'");
    }
    char tag = line.charAt(0);
    String rest = line.substring(2);
    switch (tag) {
      case 'D' -> device(rest, fs);
      case 'A', 'M', 'B', 'L', 'S', 'W', 'E', 'd' -> attribute(tag, rest, fs);
      case 'T' -> {
        String[] f = fields(rest, 3);
        String dir = devDir(f[0]);
        String name = name(f[1]);
        claim(dir + "/" + name);
        int n;
        try {
          n = Integer.parseInt(f[2]);
        } catch (NumberFormatException e) {
          throw bad("bad line count '" + f[2] + "'");
        }
        if (n < 0 || index + n >= lines.length) {
          throw bad("truncated: T record announces " + n + " lines");
        }
        StringBuilder sb = new StringBuilder();
        for (int k = 1; k <= n; k++) {
          String l = lines[index + k];
          if (l.equals("|")) {
            sb.append('\n');
          } else if (l.startsWith("| ")) {
            sb.append(l, 2, l.length()).append('\n');
          } else {
            lineNo = index + k + 1;
            throw bad("expected '| line' (" + k + " of " + n + ")");
          }
        }
        String content = sb.toString();
        actions.add(() -> fs.putText(dir + "/" + name, content));
        return n;
      }
      case 'G' -> group(rest, fs);
      case 'R' -> {
        String[] f = rest.split(" ");
        if (f.length == 0 || !WORD.matcher(f[0]).matches()) {
          throw bad("bad driver name");
        }
        claim("driver " + f[0]);
        List<String> devs = new ArrayList<>();
        for (int k = 1; k < f.length; k++) {
          if (!f[k].isEmpty()) {
            devDir(f[k]);
            devs.add(f[k]);
          }
        }
        driverDevices.put(f[0], devs);
      }
      case 'P' -> {
        String[] f = fields(rest, 3);
        word(f[0]);
        word(f[1]);
        String path = "module/" + f[0] + "/parameters/" + f[1];
        claim(path);
        actions.add(() -> fs.putText(path, f[2] + "\n"));
      }
      case 'H', 'K', 'Y', 'N' -> {
        if (version < 2) {
          throw bad("record " + tag + " needs format v2");
        }
        simulation(tag, rest, fs);
      }
      default -> throw bad("unknown record type '" + tag + "'");
    }
    return 0;
  }

  private void device(String rest, HostSysfs fs) {
    String[] f = fields(rest, 2);
    String bdf = bdf(f[0]);
    String real = f[1];
    if (!real.startsWith("/sys/devices/") || !real.endsWith("/" + bdf) || real.contains("/../")) {
      throw bad("device path must be /sys/devices/.../" + bdf + ": " + real);
    }
    if (deviceDirs.containsKey(bdf)) {
      throw bad("device " + bdf + " recorded twice");
    }
    String dir = real.substring("/sys/".length());
    deviceDirs.put(bdf, dir);
    actions.add(
        () -> {
          fs.mkdirs(dir);
          List<String> parts = SysfsPaths.split(dir);
          String root = parts.get(0) + "/" + parts.get(1);
          if (!fs.exists(root + "/pci_bus") && parts.get(1).startsWith("pci")) {
            fs.mkdirs(root + "/pci_bus/" + parts.get(1).substring(3));
          }
          fs.putLink(DeviceTree.DEVICES + "/" + bdf, SysfsPaths.relative(DeviceTree.DEVICES, dir));
        });
  }

  private void attribute(char tag, String rest, HostSysfs fs) {
    int limit =
        switch (tag) {
          case 'd' -> 2;
          case 'S' -> 4;
          default -> 3;
        };
    String[] f = fields(rest, limit);
    String dir = devDir(f[0]);
    String name = name(f[1]);
    String path = dir + "/" + name;
    claim(path);
    switch (tag) {
      case 'A' -> actions.add(() -> fs.putText(path, f[2] + "\n"));
      case 'M', 'B' -> {
        byte[] b = base64(f[2]);
        actions.add(() -> fs.putFile(path, b));
      }
      case 'L' -> {
        String t = f[2];
        if (t.startsWith("/") || t.isEmpty() || t.contains(" ")) {
          throw bad("link target must be relative: " + t);
        }
        String resolved = SysfsPaths.resolve(SysfsPaths.parent(path), t);
        if (SysfsPaths.split(SysfsPaths.parent(path)).size() < countUps(t)) {
          throw bad("link target leaves the tree: " + t);
        }
        actions.add(
            () -> {
              fs.putLink(path, t);
              if (name.equals("iommu") && !fs.exists(resolved)) {
                fs.mkdirs(resolved);
              }
            });
      }
      case 'S' -> {
        mode(f[2]);
        long size;
        try {
          size = Long.parseLong(f[3]);
        } catch (NumberFormatException e) {
          throw bad("bad size '" + f[3] + "'");
        }
        actions.add(() -> fs.putSpecial(path, SpecialFile.stat(f[2], size)));
      }
      case 'W' -> {
        mode(f[2]);
        actions.add(() -> fs.putSpecial(path, SpecialFile.writeOnly()));
      }
      case 'E' -> actions.add(() -> fs.putSpecial(path, SpecialFile.error(f[2])));
      case 'd' -> actions.add(() -> fs.mkdirs(path));
      default -> throw bad("unknown record type '" + tag + "'");
    }
  }

  private void group(String rest, HostSysfs fs) {
    String[] f = rest.split(" ", 3);
    if (f.length < 2) {
      throw bad("G needs: group key value");
    }
    int g;
    try {
      g = Integer.parseInt(f[0]);
    } catch (NumberFormatException e) {
      throw bad("bad group number '" + f[0] + "'");
    }
    String value = f.length > 2 ? f[2] : "";
    String gd = DeviceTree.GROUPS + "/" + g;
    claim("group " + g + " " + f[1]);
    switch (f[1]) {
      case "type" -> actions.add(() -> fs.putText(gd + "/type", value + "\n"));
      case "reserved_regions_b64" -> {
        byte[] b = base64(value);
        actions.add(() -> fs.putFile(gd + "/reserved_regions", b));
      }
      case "devices" -> {
        List<String> devs = new ArrayList<>();
        for (String d : value.split(" ")) {
          if (!d.isEmpty()) {
            devDir(d);
            devs.add(d);
          }
        }
        groupDevices.put(g, devs);
        actions.add(() -> fs.mkdirs(gd + "/devices"));
      }
      default -> throw bad("unknown group key '" + f[1] + "'");
    }
  }

  private void simulation(char tag, String rest, HostSysfs fs) {
    switch (tag) {
      case 'H' -> {
        String[] f = fields(rest, 2);
        word(f[0]);
        claim("host fact " + f[0]);
        actions.add(() -> fs.info().put(f[0], f[1]));
      }
      case 'K' -> {
        String[] f = fields(rest, 4);
        word(f[0]);
        Set<DriverSpec.Flag> flags = EnumSet.noneOf(DriverSpec.Flag.class);
        if (!f[2].equals("-")) {
          for (String fl : f[2].split(",")) {
            try {
              flags.add(DriverSpec.Flag.valueOf(fl.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
              throw bad("unknown driver flag '" + fl + "'");
            }
          }
        }
        if (catalog == null) {
          catalog = new DriverCatalog();
        }
        String module = f[1].equals("-") ? "" : f[1];
        List<String> aliases =
            new ArrayList<>(catalog.get(f[0]).map(DriverSpec::aliases).orElse(List.of()));
        if (!f[3].equals("-")) {
          aliases.add(f[3]);
        }
        catalog.add(new DriverSpec(f[0], module, flags, aliases));
      }
      case 'Y' -> {
        String[] f = fields(rest, 2);
        word(f[0]);
        actions.add(() -> fs.dynids().computeIfAbsent(f[0], k -> new ArrayList<>()).add(f[1]));
      }
      case 'N' -> {
        String[] f = fields(rest, 3);
        String bdf = bdf(f[0]);
        word(f[1]);
        claim("property " + bdf + " " + f[1]);
        actions.add(() -> fs.props(bdf).put(f[1], f[2]));
      }
      default -> throw bad("unknown record type '" + tag + "'");
    }
  }

  /** Links that need every device in place: bus/pci/drivers/X/BDF, iommu_groups/N/devices/BDF. */
  private void finish(HostSysfs fs) {
    if (catalog != null) {
      fs.catalog(catalog);
    }
    DeviceTree tree = new DeviceTree(fs);
    tree.ensureSkeleton();
    for (Map.Entry<Integer, List<String>> e : groupDevices.entrySet()) {
      String gd = DeviceTree.GROUPS + "/" + e.getKey() + "/devices";
      for (String bdf : e.getValue()) {
        fs.putLink(gd + "/" + bdf, SysfsPaths.relative(gd, deviceDirs.get(bdf)));
      }
    }
    for (Map.Entry<String, List<String>> e : driverDevices.entrySet()) {
      String name = e.getKey();
      DriverSpec d =
          fs.catalog()
              .get(name)
              .orElseGet(() -> new DriverSpec(name, name.replace('-', '_'), Set.of(), List.of()));
      tree.loadDriver(d, Map.of());
      for (String bdf : e.getValue()) {
        String dd = DeviceTree.DRIVERS + "/" + name;
        fs.putLink(dd + "/" + bdf, SysfsPaths.relative(dd, deviceDirs.get(bdf)));
      }
    }
  }

  // ---- field checks ---------------------------------------------------------------------------

  /**
   * Claims what a record sets (an attribute path, a group key, a host fact…); a snapshot that sets
   * the same thing twice is refused rather than letting the later line win silently.
   */
  private void claim(String what) {
    Integer first = claimed.putIfAbsent(what, lineNo);
    if (first != null) {
      throw bad(abbreviate(what) + " recorded twice (first on line " + first + ")");
    }
  }

  private String[] fields(String rest, int n) {
    String[] f = rest.split(" ", n);
    if (f.length < n) {
      if (f.length == n - 1) {
        // a last field may be empty ("A bdf attr " for an empty line, "M bdf attr " for no bytes)
        String[] g = new String[n];
        System.arraycopy(f, 0, g, 0, f.length);
        g[n - 1] = "";
        if (rest.endsWith(" ")) {
          return g;
        }
      }
      throw bad("record needs " + (n + 1) + " fields");
    }
    return f;
  }

  private String bdf(String s) {
    if (!PciAddress.isAddress(s) || s.length() != 12) {
      throw bad("not a PCI address: '" + s + "'");
    }
    return s;
  }

  private String devDir(String bdf) {
    String d = deviceDirs.get(bdf(bdf));
    if (d == null) {
      throw bad("device " + bdf + " used before its D record");
    }
    return d;
  }

  private String name(String s) {
    if (!NAME.matcher(s).matches() || s.contains("..")) {
      throw bad("bad attribute name '" + abbreviate(s) + "'");
    }
    return s;
  }

  private void word(String s) {
    if (!WORD.matcher(s).matches() || s.equals("..") || s.equals(".")) {
      throw bad("bad name '" + abbreviate(s) + "'");
    }
  }

  private void mode(String s) {
    if (!MODE.matcher(s).matches()) {
      throw bad("bad file mode '" + s + "'");
    }
  }

  private byte[] base64(String s) {
    try {
      return Base64.getDecoder().decode(s.getBytes(StandardCharsets.US_ASCII));
    } catch (IllegalArgumentException e) {
      throw bad("bad base64: " + e.getMessage());
    }
  }

  private static int countUps(String target) {
    int n = 0;
    for (String p : SysfsPaths.split(target)) {
      if (p.equals("..")) {
        n++;
      }
    }
    return n;
  }

  private static String abbreviate(String s) {
    return s.length() > 60 ? s.substring(0, 60) + "..." : s;
  }
}
