package dev.pcikit.lab;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The devices of an {@code lspci -D -nn -k} listing: per BDF the class code, vendor:device IDs and
 * the "Kernel driver in use" line (pciutils ls-kernel.c), or null without a driver.
 */
public final class LspciListing {
  /** One device as lspci shows it; IDs are 4 lowercase hex digits as lspci prints them. */
  public record Device(String bdf, String classCode, String vendor, String device, String driver) {}

  // "0000:01:00.0 Non-Volatile memory controller [0108]: Red Hat, Inc. QEMU NVM Express
  // Controller [1b36:0010] (rev 02)": the class is the first [xxxx] before ": ", the IDs are
  // the last [xxxx:xxxx] of the line (names may contain brackets themselves).
  private static final Pattern HEAD =
      Pattern.compile(
          "^([0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]) .*?\\[([0-9a-f]{4})\\]: (.*)$");
  private static final Pattern IDS = Pattern.compile("\\[([0-9a-f]{4}):([0-9a-f]{4})\\]");
  private static final String DRIVER = "\tKernel driver in use: ";

  private LspciListing() {}

  public static Map<String, Device> parse(List<String> lines) {
    Map<String, Device> devices = new LinkedHashMap<>();
    Device current = null;
    for (String line : lines) {
      Matcher m = HEAD.matcher(line);
      if (m.matches()) {
        String rest = m.group(3);
        Matcher ids = IDS.matcher(rest);
        String vendor = null;
        String device = null;
        while (ids.find()) { // the last [vvvv:dddd] of the line is the device's own
          vendor = ids.group(1);
          device = ids.group(2);
        }
        if (vendor == null) {
          throw new IllegalArgumentException("no [vendor:device] in lspci line: " + line);
        }
        current = new Device(m.group(1), m.group(2), vendor, device, null);
        devices.put(current.bdf(), current);
      } else if (current != null && line.startsWith(DRIVER)) {
        current =
            new Device(
                current.bdf(),
                current.classCode(),
                current.vendor(),
                current.device(),
                line.substring(DRIVER.length()).trim());
        devices.put(current.bdf(), current);
      }
    }
    return devices;
  }
}
