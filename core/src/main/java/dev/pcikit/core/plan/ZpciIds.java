package dev.pcikit.core.plan;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.model.PciAddress;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * One zPCI id space of a guest (the uids, or the fids): the ids the domain already uses, the ones
 * the user gives (checked and claimed first, so that automatic ones never take them) and the next
 * free one.
 */
final class ZpciIds {
  private final String name;
  private final long min;
  private final long max;
  private final String hexFormat;
  private final Set<Long> used = new HashSet<>();
  private long next;

  private ZpciIds(String name, long min, long max, String hexFormat, Set<? extends Number> used) {
    this.name = name;
    this.min = min;
    this.max = max;
    this.hexFormat = hexFormat;
    used.forEach(n -> this.used.add(n.longValue()));
    this.next = min;
  }

  /** uids: 1..0xffff. */
  static ZpciIds uids(Set<Integer> used) {
    return new ZpciIds("uid", 1, Zpci.MAX_UID, "%04x", used);
  }

  /** fids: 0..0xffffffff. */
  static ZpciIds fids(Set<Long> used) {
    return new ZpciIds("fid", 0, Zpci.MAX_FID, "%08x", used);
  }

  private String range() {
    return min + "..0x" + Long.toHexString(max);
  }

  /** Claims an id the user gave for a function; refused when out of range or taken. */
  long claim(long id, PciAddress function) {
    if (id < min || id > max) {
      throw new PcikitException(
          Failure.INVALID_ARGUMENT,
          "zPCI " + name + " " + id + " for " + function + " is outside " + range());
    }
    if (!used.add(id)) {
      throw new PcikitException(
          Failure.INVALID_ARGUMENT,
          String.format(Locale.ROOT, "zPCI %s 0x" + hexFormat + " is used twice", name, id));
    }
    return id;
  }

  /** The lowest id not used yet, now used. */
  long next() {
    while (used.contains(next)) {
      next++;
    }
    if (next > max) {
      throw new PcikitException(
          Failure.BAD_INPUT, "no free zPCI " + name + " left (" + range() + ")");
    }
    used.add(next);
    return next;
  }
}
