package dev.pcikit.core.plan;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.model.PciAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns device selectors into host functions, completing IOMMU groups when asked. */
final class DeviceResolver {
  private static final Pattern IDS = Pattern.compile("([0-9a-f]{4}):([0-9a-f]{4})");
  private static final Pattern GROUP = Pattern.compile("group:(\\d{1,9})");

  private DeviceResolver() {}

  /**
   * The selected functions, sorted by host address, without those the existing domain already
   * assigns (they stay where they are).
   */
  static List<Selected> resolve(
      List<DeviceRequest> requests,
      HostTopology host,
      Policies policies,
      Set<PciAddress> alreadyAssigned,
      List<String> notes,
      List<String> warnings) {
    Map<PciAddress, Selected> chosen = new TreeMap<>();
    for (DeviceRequest req : requests) {
      for (HostFunction f : match(req.selector(), host)) {
        Selected prev = chosen.get(f.address());
        if (prev != null) {
          if (req.hasUserAddress()
              && prev.request().hasUserAddress()
              && !prev.request().equals(req)) {
            throw new PcikitException(
                Failure.INVALID_ARGUMENT,
                f.address()
                    + " is selected by '"
                    + prev.request().selector()
                    + "' and '"
                    + req.selector()
                    + "' with different guest addresses");
          }
          continue;
        }
        chosen.put(f.address(), new Selected(f, req, false));
      }
    }
    for (Selected s : List.copyOf(chosen.values())) {
      for (HostFunction peer : host.group(s.host().iommuGroup())) {
        if (peer.isBridge() || chosen.containsKey(peer.address())) {
          continue;
        }
        if (policies.wholeGroups()) {
          chosen.put(peer.address(), new Selected(peer, s.request(), true));
          notes.add(
              "added "
                  + peer.address()
                  + ": it shares IOMMU group "
                  + peer.iommuGroup()
                  + " with "
                  + s.host().address()
                  + " (VFIO assigns whole groups)");
        } else {
          warnings.add(
              peer.address()
                  + " shares IOMMU group "
                  + peer.iommuGroup()
                  + " with "
                  + s.host().address()
                  + " but is not passed through: bind it to vfio-pci or unbind it, or the"
                  + " group is not viable");
        }
      }
    }
    List<Selected> out = new ArrayList<>();
    for (Selected s : chosen.values()) {
      if (alreadyAssigned.contains(s.host().address())) {
        notes.add(s.host().address() + " is already in the domain; left where it is");
      } else {
        out.add(s);
      }
    }
    return out;
  }

  static List<HostFunction> match(String selector, HostTopology host) {
    String sel = selector.strip().toLowerCase(Locale.ROOT);
    List<HostFunction> found = new ArrayList<>();
    if (PciAddress.isAddress(sel)) {
      PciAddress a = PciAddress.parse(sel);
      HostFunction f =
          host.find(a)
              .orElseThrow(
                  () ->
                      new PcikitException(
                          Failure.NOT_FOUND, "no PCI function " + a + " on this host"));
      found.add(f);
    } else {
      Matcher ids = IDS.matcher(sel);
      Matcher group = GROUP.matcher(sel);
      if (ids.matches()) {
        int v = Integer.parseInt(ids.group(1), 16);
        int d = Integer.parseInt(ids.group(2), 16);
        host.all().stream().filter(f -> f.vendor() == v && f.device() == d).forEach(found::add);
      } else if (group.matches()) {
        host.group(Integer.parseInt(group.group(1))).stream()
            .filter(f -> !f.isBridge())
            .forEach(found::add);
      } else {
        throw new PcikitException(
            Failure.INVALID_ARGUMENT,
            "unknown device selector '"
                + selector
                + "' (expected a BDF like 0000:03:00.0, IDs like 8086:10d3, or group:N)");
      }
      if (found.isEmpty()) {
        throw new PcikitException(
            Failure.NOT_FOUND, "no host PCI function matches '" + selector + "'");
      }
    }
    for (HostFunction f : found) {
      if (f.isBridge()) {
        throw new PcikitException(
            Failure.BAD_INPUT, f.address() + " is a PCI bridge; bridges are never passed through");
      }
      if (f.iommuGroup() == HostFunction.NO_GROUP) {
        throw new PcikitException(
            Failure.REFUSED,
            f.address() + " has no IOMMU group (is the IOMMU on?); it cannot be passed through");
      }
    }
    return found;
  }
}
