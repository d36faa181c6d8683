package dev.pcikit.lab;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The guest's PCI devices as lab_pci_table (lab/guest/x86/lib.sh) reads them from sysfs: one line
 * "bdf 0xvendor 0xdevice 0xclass driver|- group|- configsize physfn|-".
 */
public final class SysfsTable {
  /** One device; vendor/device are 4 hex digits, classCode 6, absent driver/group are null. */
  public record Row(
      String bdf,
      String vendor,
      String device,
      String classCode,
      String driver,
      String iommuGroup,
      int configSize,
      String physfn) {}

  private SysfsTable() {}

  public static Map<String, Row> parse(List<String> lines) {
    Map<String, Row> rows = new LinkedHashMap<>();
    for (String line : lines) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.trim().split("\\s+");
      if (f.length != 8) {
        throw new IllegalArgumentException("not a lab_pci_table line: " + line);
      }
      rows.put(
          f[0],
          new Row(
              f[0],
              hex(f[1]),
              hex(f[2]),
              hex(f[3]),
              dash(f[4]),
              dash(f[5]),
              Integer.parseInt(f[6]),
              dash(f[7])));
    }
    return rows;
  }

  private static String hex(String sysfsValue) {
    return sysfsValue.startsWith("0x") ? sysfsValue.substring(2) : sysfsValue;
  }

  private static String dash(String s) {
    return s.equals("-") ? null : s;
  }
}
