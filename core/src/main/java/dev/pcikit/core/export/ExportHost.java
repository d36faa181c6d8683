package dev.pcikit.core.export;

import dev.pcikit.core.check.CheckReport;
import dev.pcikit.core.check.DeviceReport;
import dev.pcikit.core.check.Finding;
import dev.pcikit.core.check.Verdict;
import dev.pcikit.core.ids.DeviceNames;
import dev.pcikit.core.inventory.Inventory;
import dev.pcikit.core.inventory.PciDevice;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What every export is computed from: the host's inventory, its readiness check (every endpoint
 * checked), the host's name as the scheduler knows it, and names for vendors and devices. The
 * exports are pure functions of this.
 *
 * @param node the node or host name the scheduler uses for this machine
 */
public record ExportHost(Inventory inventory, CheckReport check, String node, DeviceNames names) {

  /**
   * The devices a scheduler may hand to guests: endpoints the check found assignable (with or
   * without warnings), in address order. None when a host finding blocks passthrough: then no
   * device can be assigned, whatever its own checks say.
   */
  public List<PciDevice> assignable() {
    if (hostBlocked()) {
      return List.of();
    }
    List<PciDevice> out = new ArrayList<>();
    for (DeviceReport r : check.devices()) {
      if (r.assignable()) {
        inventory.device(r.address()).ifPresent(out::add);
      }
    }
    return out;
  }

  /** Checked devices that are not exported, each with its first blocking reason. */
  public List<LeftOut> notAssignable() {
    List<LeftOut> out = new ArrayList<>();
    if (hostBlocked()) {
      out.add(new LeftOut("host", "passthrough is blocked on this host: " + hostReasons()));
      return out;
    }
    for (DeviceReport r : check.devices()) {
      if (!r.assignable()) {
        String why =
            r.findings().stream()
                .filter(f -> f.verdict() == Verdict.BLOCKING)
                .map(Finding::message)
                .findFirst()
                .orElse("not assignable");
        out.add(new LeftOut(r.address().toString(), "not assignable: " + why));
      }
    }
    return out;
  }

  /** Host findings that do not block passthrough but qualify the export (one line each). */
  public List<String> hostWarnings() {
    return check.host().stream()
        .filter(f -> f.verdict() == Verdict.WARNING)
        .map(f -> "host: " + f.message())
        .toList();
  }

  public boolean hostBlocked() {
    return check.host().stream().anyMatch(Finding::blocking);
  }

  private String hostReasons() {
    return check.host().stream()
        .filter(Finding::blocking)
        .map(Finding::message)
        .collect(Collectors.joining("; "));
  }

  /** The endpoints sharing the device's IOMMU group (itself included). */
  public int groupEndpoints(PciDevice d) {
    return inventory
        .groupOf(d)
        .map(
            g ->
                (int)
                    g.members().stream()
                        .map(inventory::device)
                        .filter(o -> o.isPresent() && !o.get().isBridge())
                        .count())
        .orElse(1);
  }
}
