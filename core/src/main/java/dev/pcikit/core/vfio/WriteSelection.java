package dev.pcikit.core.vfio;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.model.DeviceSelector;
import dev.pcikit.core.model.PciAddress;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What a write command accepts as a device selection. A write never acts on "everything": an empty
 * selector, one that constrains nothing ({@code *}, {@code ::}, {@code -d :}), one wider than a
 * slot or a device model ({@code 01:}, {@code -d 8086:}), a slot without a domain that matches
 * slots in several domains, or patterns that together take every device of the host are usage
 * errors, whatever --force says: the devices must be named.
 */
public final class WriteSelection {
  private WriteSelection() {}

  static final String HOW =
      "name the devices: a BDF (0000:03:00.0), a slot (03:00, every function of it) or a device"
          + " model (-d VENDOR:DEVICE)";

  /** The checks that need no device list. */
  public static void checkNarrow(List<DeviceSelector> selectors) {
    if (selectors.isEmpty()) {
      throw new PcikitException(
          Failure.INVALID_ARGUMENT, "name at least one device (DEV, -s or -d)");
    }
    for (DeviceSelector s : selectors) {
      if (s.text().isBlank()) {
        throw new PcikitException(
            Failure.INVALID_ARGUMENT,
            "empty device selector: a write command never acts on every device; " + HOW);
      }
      if (s.matchesEverything()) {
        throw new PcikitException(
            Failure.INVALID_ARGUMENT,
            "'" + s.text() + "' matches every device: a write command never does that; " + HOW);
      }
      if (!s.namesDevices()) {
        throw new PcikitException(
            Failure.INVALID_ARGUMENT, "'" + s.text() + "' is too wide for a write command; " + HOW);
      }
    }
  }

  /** A slot selector without its domain must not name slots in several domains. */
  static void checkOneDomain(DeviceSelector s, List<PciAddress> matched) {
    if (s instanceof DeviceSelector.Slot sl && sl.domain() == null) {
      TreeSet<Integer> domains = new TreeSet<>();
      matched.forEach(a -> domains.add(a.domain()));
      if (domains.size() > 1) {
        throw new PcikitException(
            Failure.INVALID_ARGUMENT,
            "'"
                + s.text()
                + "' matches "
                + matched.size()
                + " devices in PCI domains "
                + domains.stream()
                    .map(d -> String.format(Locale.ROOT, "%04x", d))
                    .collect(Collectors.joining(", "))
                + ": give the domain (e.g. "
                + matched.get(0)
                + ")");
      }
    }
  }

  /** Patterns that together take every device of a host with more than one are refused. */
  static void checkNotWholeHost(Collection<PciAddress> selected, List<PciAddress> all) {
    if (all != null && all.size() > 1 && selected.containsAll(all)) {
      throw new PcikitException(
          Failure.INVALID_ARGUMENT,
          "the selectors match every device of the host ("
              + all.size()
              + "): a write command never acts on every device; name them explicitly by BDF");
    }
  }
}
