package dev.pcikit.core.plan;

import java.util.Locale;

/**
 * A guest PCI address as libvirt writes it: {@code bus} is the libvirt index of the controller the
 * device sits on (for pseries that is the PHB's controller index, not the PCI domain).
 */
public record GuestAddress(int bus, int slot, int function) implements Comparable<GuestAddress> {
  public GuestAddress {
    if (bus < 0 || bus > 0xff || slot < 0 || slot > 0x1f || function < 0 || function > 7) {
      throw new IllegalArgumentException(
          "not a guest PCI address: bus " + bus + " slot " + slot + " function " + function);
    }
  }

  @Override
  public int compareTo(GuestAddress o) {
    int c = Integer.compare(bus, o.bus);
    if (c == 0) {
      c = Integer.compare(slot, o.slot);
    }
    return c != 0 ? c : Integer.compare(function, o.function);
  }

  /** QEMU's {@code addr=} value: {@code 0x1} or {@code 0x1.0x2}. */
  public String qemuAddr() {
    return function == 0
        ? String.format(Locale.ROOT, "0x%x", slot)
        : String.format(Locale.ROOT, "0x%x.0x%x", slot, function);
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%02x:%02x.%x", bus, slot, function);
  }
}
