package dev.pcikit.core.modalias;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/** Modalias strings for differential tests: real IDs, random IDs, instances of alias patterns. */
final class ModaliasSamples {

  private static final String HEX = "0123456789ABCDEF";

  private ModaliasSamples() {}

  static String pci(int vendor, int device, int subVendor, int subDevice, int cls) {
    return String.format(
        "pci:v%08Xd%08Xsv%08Xsd%08Xbc%02Xsc%02Xi%02X",
        vendor, device, subVendor, subDevice, (cls >> 16) & 0xff, (cls >> 8) & 0xff, cls & 0xff);
  }

  static Path pciIds() {
    for (String p : List.of("/usr/share/misc/pci.ids", "/usr/share/hwdata/pci.ids")) {
      if (Files.isRegularFile(Path.of(p))) {
        return Path.of(p);
      }
    }
    return null;
  }

  /**
   * Modaliases of devices named in pci.ids: vendor, device, a listed subsystem when there is one,
   * and a class code listed in pci.ids.
   */
  static List<String> fromPciIds(Path pciIds, Random rnd, int count) throws IOException {
    List<int[]> devices = new ArrayList<>();
    List<Integer> classes = new ArrayList<>();
    int vendor = -1;
    int cls = -1;
    int sub = -1;
    boolean inClasses = false;
    for (String line : Files.readAllLines(pciIds, StandardCharsets.ISO_8859_1)) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("C ")) {
        inClasses = true;
        cls = Integer.parseInt(line.substring(2, 4), 16);
        classes.add(cls << 16);
        continue;
      }
      if (inClasses) {
        if (line.startsWith("\t\t")) {
          classes.add((cls << 16) | (sub << 8) | Integer.parseInt(line.substring(2, 4), 16));
        } else if (line.startsWith("\t")) {
          sub = Integer.parseInt(line.substring(1, 3), 16);
          classes.add((cls << 16) | (sub << 8));
        }
        continue;
      }
      if (!line.startsWith("\t")) {
        vendor = Integer.parseInt(line.substring(0, 4), 16);
      } else if (!line.startsWith("\t\t")) {
        devices.add(new int[] {vendor, Integer.parseInt(line.substring(1, 5), 16), -1, -1});
      } else if (!devices.isEmpty()) {
        int[] last = devices.get(devices.size() - 1);
        devices.add(
            new int[] {
              last[0],
              last[1],
              Integer.parseInt(line.substring(2, 6), 16),
              Integer.parseInt(line.substring(7, 11), 16)
            });
      }
    }
    Set<String> out = new LinkedHashSet<>();
    while (out.size() < count) {
      int[] d = devices.get(rnd.nextInt(devices.size()));
      int c = classes.get(rnd.nextInt(classes.size()));
      int sv = d[2] >= 0 ? d[2] : d[0];
      int sd = d[3] >= 0 ? d[3] : rnd.nextInt(0x10000);
      out.add(pci(d[0], d[1], sv, sd, c));
    }
    return new ArrayList<>(out);
  }

  static List<String> random(Random rnd, int count) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(
          pci(
              rnd.nextInt(0x10000),
              rnd.nextInt(0x10000),
              rnd.nextInt(0x10000),
              rnd.nextInt(0x10000),
              rnd.nextInt(0x1000000)));
    }
    return out;
  }

  /**
   * A string each pattern matches (or nearly: '*' becomes 0–8 random hex digits, '?' one, a bracket
   * expression its first listed character), so lookups hit real, often several, entries.
   */
  static List<String> instances(List<String> patterns, Random rnd, int count) {
    Set<String> out = new LinkedHashSet<>();
    int guard = 0;
    while (out.size() < count && guard++ < count * 10) {
      String p = patterns.get(rnd.nextInt(patterns.size()));
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < p.length(); i++) {
        char c = p.charAt(i);
        if (c == '*') {
          int n = rnd.nextInt(9);
          for (int k = 0; k < n; k++) {
            b.append(HEX.charAt(rnd.nextInt(16)));
          }
        } else if (c == '?') {
          b.append(HEX.charAt(rnd.nextInt(16)));
        } else if (c == '[') {
          int close = p.indexOf(']', i + 2);
          int first = i + 1;
          if (p.charAt(first) == '!' || p.charAt(first) == '^') {
            b.append('~');
          } else {
            b.append(p.charAt(first));
          }
          i = close < 0 ? p.length() : close;
        } else {
          b.append(c);
        }
      }
      String s = b.toString();
      if (s.indexOf('*') < 0
          && s.indexOf('?') < 0
          && s.indexOf('[') < 0
          && s.indexOf(']') < 0
          && !s.isEmpty()
          && s.length() < 4000
          && s.charAt(0) != ' '
          && !s.endsWith(" ")) {
        out.add(s);
      }
    }
    return new ArrayList<>(out);
  }

  /** The patterns of a depmod alias file, as written (before normalisation). */
  static List<String> patternsOf(Path aliasFile) throws IOException {
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(aliasFile, StandardCharsets.ISO_8859_1)) {
      if (line.startsWith("alias ")) {
        int last = line.lastIndexOf(' ');
        out.add(line.substring(6, last));
      }
    }
    return out;
  }

  /** {@code pci:} → {@code vfio_pci:} (and, for every tenth, the dashed {@code vfio-pci:}). */
  static List<String> vfioForms(List<String> pci) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < pci.size(); i++) {
      String s = pci.get(i);
      if (s.startsWith("pci:")) {
        out.add((i % 10 == 0 ? "vfio-pci:" : "vfio_pci:") + s.substring(4));
      }
    }
    return out;
  }
}
