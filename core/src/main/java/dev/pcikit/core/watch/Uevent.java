package dev.pcikit.core.watch;

import dev.pcikit.core.model.PciAddress;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One kernel uevent as {@code udevadm monitor --kernel} prints it: {@code KERNEL[4711.123456] bind
 * /devices/pci0000:00/0000:00:1c.0/0000:02:00.0 (pci)} (udev's monitor_print_device: source,
 * timestamp, action, devpath, subsystem).
 *
 * @param action add, remove, change, bind, unbind, move, online, offline
 * @param devpath the device path below {@code /sys}
 */
public record Uevent(String action, String devpath, String subsystem) {
  /** Longest line looked at; udevadm's are about 100 characters. */
  public static final int MAX_LINE = 4096;

  private static final Pattern LINE =
      Pattern.compile("^KERNEL\\[[0-9.]+\\]\\s+([a-z]+)\\s+(/\\S+)\\s+\\(([a-z0-9_-]+)\\)\\s*$");

  /** The uevent of a line, or empty for headers, blank lines and anything else. */
  public static Optional<Uevent> parse(String line) {
    if (line == null || line.length() > MAX_LINE) {
      return Optional.empty();
    }
    Matcher m = LINE.matcher(line);
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(new Uevent(m.group(1), m.group(2), m.group(3)));
  }

  /** The PCI function the uevent is about: the devpath's last element, when it is an address. */
  public Optional<PciAddress> address() {
    int i = devpath.lastIndexOf('/');
    String last = devpath.substring(i + 1);
    return PciAddress.isAddress(last) && last.contains(":")
        ? Optional.of(PciAddress.parse(last))
        : Optional.empty();
  }
}
