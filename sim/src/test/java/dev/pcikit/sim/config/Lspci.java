package dev.pcikit.sim.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.core.model.PciAddress;
import dev.pcikit.core.sysfs.MemorySysfs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the real pciutils {@code lspci -vvv} over a sysfs tree built from config-space bytes, and
 * splits its output per device. The tree holds what lspci's linux-sysfs backend reads (pciutils
 * lib/sysfs.c: vendor, device, class, irq, resource mandatory; revision, subsystem_* optional;
 * config for the bytes) under {@code devices/pci0000:00/<bdf>}, and {@code bus/pci/devices/<bdf>}
 * as relative links, as the kernel lays it out.
 */
final class Lspci {
  private Lspci() {}

  static void assumeAvailable() {
    dev.pcikit.sim.Lspci.requireInstalled();
  }

  /** Materializes a sysfs tree for the given functions under {@code dir}; returns sysfs root. */
  static Path tree(Path dir, Map<PciAddress, byte[]> configs) throws IOException {
    return tree(dir, configs, Map.of());
  }

  /**
   * Like {@link #tree(Path, Map)}, with attribute values (e.g. a VF's vendor/device, which its
   * config reads as ffff) replacing those derived from config; values without the newline.
   */
  static Path tree(
      Path dir, Map<PciAddress, byte[]> configs, Map<PciAddress, Map<String, String>> attrs)
      throws IOException {
    MemorySysfs fs = new MemorySysfs();
    for (Map.Entry<PciAddress, byte[]> e : configs.entrySet()) {
      String bdf = e.getKey().toString();
      byte[] c = e.getValue();
      String dev = "devices/pci0000:00/" + bdf;
      fs.mkdirs(dev);
      fs.putFile(dev + "/config", c);
      // the kernel's ID attributes come from config; with fewer bytes, zeros stand in
      fs.putText(dev + "/vendor", String.format("0x%04x%n", u16(c, 0)));
      fs.putText(dev + "/device", String.format("0x%04x%n", u16(c, 2)));
      fs.putText(dev + "/revision", String.format("0x%02x%n", u8(c, 8)));
      fs.putText(
          dev + "/class", String.format("0x%06x%n", u8(c, 9) | u8(c, 10) << 8 | u8(c, 11) << 16));
      boolean type0 = (u8(c, 0x0e) & 0x7f) == 0;
      fs.putText(dev + "/subsystem_vendor", String.format("0x%04x%n", type0 ? u16(c, 0x2c) : 0));
      fs.putText(dev + "/subsystem_device", String.format("0x%04x%n", type0 ? u16(c, 0x2e) : 0));
      fs.putText(dev + "/irq", "0\n");
      fs.putText(
          dev + "/resource",
          "0x0000000000000000 0x0000000000000000 0x0000000000000000\n".repeat(13));
      for (Map.Entry<String, String> a : attrs.getOrDefault(e.getKey(), Map.of()).entrySet()) {
        fs.putText(dev + "/" + a.getKey(), a.getValue() + "\n");
      }
      fs.putLink("bus/pci/devices/" + bdf, "../../../" + dev);
    }
    fs.materialize(dir);
    return dir;
  }

  /**
   * Runs {@code lspci -D -vvv} over the tree with an empty pci.ids (names are not compared here),
   * returns device blocks keyed by BDF, each as its lines with leading tabs kept.
   */
  static Map<String, List<String>> run(Path sysfsRoot) throws IOException, InterruptedException {
    dev.pcikit.sim.Lspci.Result r =
        dev.pcikit.sim.Lspci.run(sysfsRoot, "-D", "-vvv", "-i", "/dev/null");
    assertThat(r.exit()).as("lspci output:%n%s%s", r.out(), r.err()).isZero();
    return split(r.out());
  }

  static Map<String, List<String>> split(String text) {
    Map<String, List<String>> devices = new LinkedHashMap<>();
    List<String> current = null;
    for (String line : text.split("\n")) {
      if (line.isEmpty()) {
        current = null;
        continue;
      }
      if (!line.startsWith("\t")
          && line.length() > 12
          && PciAddress.isAddress(line.substring(0, 12))) {
        current = new ArrayList<>();
        devices.put(line.substring(0, 12), current);
      }
      if (current != null) {
        current.add(line);
      }
    }
    return devices;
  }

  /** Trims and collapses whitespace, so "\t\tIOVCap:\tMigration-" equals "\tIOVCap: Migration-". */
  static String norm(String line) {
    return line.strip().replaceAll("\\s+", " ");
  }

  private static int u8(byte[] c, int off) {
    return off < c.length ? c[off] & 0xff : 0;
  }

  private static int u16(byte[] c, int off) {
    return u8(c, off) | u8(c, off + 1) << 8;
  }
}
