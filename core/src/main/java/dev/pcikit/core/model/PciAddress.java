package dev.pcikit.core.model;

import dev.pcikit.core.text.Hex;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A PCI function address: domain:bus:device.function, as the kernel names it (0000:03:00.1). */
public record PciAddress(int domain, int bus, int device, int function)
    implements Comparable<PciAddress> {
  private static final Pattern FULL =
      Pattern.compile("(?:([0-9a-fA-F]{1,8}):)?([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2})\\.([0-7])");

  public PciAddress {
    if (domain < 0
        || bus < 0
        || bus > 0xff
        || device < 0
        || device > 0x1f
        || function < 0
        || function > 7) {
      throw new IllegalArgumentException(
          "not a PCI address: " + domain + ":" + bus + ":" + device + "." + function);
    }
  }

  /** Parses {@code [domain:]bus:device.function}; the domain defaults to 0. */
  public static PciAddress parse(String text) {
    Matcher m = FULL.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a PCI address: '" + text + "'");
    }
    int domain = m.group(1) == null ? 0 : (int) Long.parseLong(m.group(1), 16);
    return new PciAddress(
        domain,
        Integer.parseInt(m.group(2), 16),
        Integer.parseInt(m.group(3), 16),
        Integer.parseInt(m.group(4), 16));
  }

  public static boolean isAddress(String text) {
    return FULL.matcher(text.strip()).matches();
  }

  /** Routing ID within the domain: bus &lt;&lt; 8 | devfn, as SR-IOV offset/stride use it. */
  public int routingId() {
    return bus << 8 | device << 3 | function;
  }

  public static PciAddress fromRoutingId(int domain, int rid) {
    return new PciAddress(domain, (rid >> 8) & 0xff, (rid >> 3) & 0x1f, rid & 7);
  }

  public int devfn() {
    return device << 3 | function;
  }

  /*
   * equals and hashCode written out, with the values the record's generated ones give (fields
   * combined as h * 31 + field, from 0: java.lang.runtime.ObjectMethods): the generated ones are
   * bootstrapped through invokedynamic, which makes a cold JVM spin some twenty method-handle
   * classes that no class-data archive holds, on every run, for the first address put in a map.
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof PciAddress p
        && domain == p.domain
        && bus == p.bus
        && device == p.device
        && function == p.function;
  }

  @Override
  public int hashCode() {
    return ((domain * 31 + bus) * 31 + device) * 31 + function;
  }

  @Override
  public String toString() {
    return Hex.pad(domain, 4)
        + ":"
        + Hex.pad(bus, 2)
        + ":"
        + Hex.pad(device, 2)
        + "."
        + Integer.toHexString(function);
  }

  /** The lspci short form without the domain when it is 0 (lspci without -D). */
  public String shortForm() {
    return Hex.pad(bus, 2) + ":" + Hex.pad(device, 2) + "." + Integer.toHexString(function);
  }

  @Override
  public int compareTo(PciAddress o) {
    int c = Integer.compareUnsigned(domain, o.domain);
    if (c != 0) {
      return c;
    }
    return Integer.compare(routingId(), o.routingId());
  }
}
