package dev.pcikit.core.inventory;

import dev.pcikit.core.model.PciAddress;
import dev.pcikit.core.sysfs.PciAttributes;
import dev.pcikit.core.sysfs.Sysfs;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Reads one device's attributes, turning every failure into a {@link Problem}; numbers are parsed
 * as {@link PciAttributes#number} parses them for every other reader.
 */
final class Attrs {
  private final Sysfs sysfs;
  private final String dir;
  private final String bdf;
  private final List<Problem> problems;
  private final Set<String> entries;

  Attrs(Sysfs sysfs, String dir, String bdf, List<Problem> problems, Set<String> entries) {
    this.sysfs = sysfs;
    this.dir = dir;
    this.bdf = bdf;
    this.problems = problems;
    this.entries = entries;
  }

  Optional<String> text(String name) {
    if (!entries.contains(name)) {
      return Optional.empty();
    }
    String path = dir + "/" + name;
    try {
      return Optional.of(sysfs.readText(path).strip());
    } catch (IOException e) {
      problems.add(Problem.warning(bdf, name + ": unreadable: " + e.getMessage()));
      return Optional.empty();
    }
  }

  /** A hex attribute ("0x8086"); required ones report their absence as an error. */
  int hex(String name, boolean required) {
    Optional<String> t = text(name);
    if (t.isEmpty()) {
      if (required) {
        problems.add(Problem.error(bdf, name + ": missing"));
      }
      return -1;
    }
    OptionalInt v = PciAttributes.number(t.get(), 16);
    if (v.isEmpty()) {
      problems.add(Problem.error(bdf, name + ": not a number: '" + clip(t.get()) + "'"));
      return -1;
    }
    return v.getAsInt();
  }

  /** A hex attribute printed without 0x by the kernel (sriov_vf_device uses "%x"). */
  int hexPlain(String name) {
    return hex(name, false);
  }

  int dec(String name, boolean required, int absent) {
    Optional<String> t = text(name);
    if (t.isEmpty()) {
      if (required) {
        problems.add(Problem.error(bdf, name + ": missing"));
      }
      return absent;
    }
    OptionalInt v = PciAttributes.number(t.get(), 10);
    if (v.isEmpty()) {
      problems.add(Problem.error(bdf, name + ": not a number: '" + clip(t.get()) + "'"));
      return absent;
    }
    return v.getAsInt();
  }

  Optional<String> linkName(String name) {
    if (!entries.contains(name)) {
      return Optional.empty();
    }
    String path = dir + "/" + name;
    try {
      return sysfs.readLink(path).map(Sysfs::lastElement);
    } catch (IOException e) {
      {
        problems.add(Problem.warning(bdf, name + ": unreadable link: " + e.getMessage()));
      }
      return Optional.empty();
    }
  }

  Optional<Integer> parseInt(String what, String text) {
    OptionalInt v = PciAttributes.number(text, 10);
    if (v.isEmpty()) {
      problems.add(Problem.error(bdf, what + ": not a number: '" + clip(text) + "'"));
      return Optional.empty();
    }
    return Optional.of(v.getAsInt());
  }

  Optional<PciAddress> address(String what, String text) {
    if (!PciAddress.isAddress(text)) {
      problems.add(Problem.error(bdf, what + ": not a PCI address: '" + clip(text) + "'"));
      return Optional.empty();
    }
    return Optional.of(PciAddress.parse(text));
  }

  private static String clip(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }
}
