package dev.pcikit.cli;

import dev.pcikit.core.holders.GroupHolder;
import dev.pcikit.core.identity.Vpd;
import dev.pcikit.core.inventory.Inventory;
import dev.pcikit.core.inventory.PciDevice;
import dev.pcikit.core.model.PciAddress;
import dev.pcikit.core.reset.ResetReadiness;
import dev.pcikit.formats.DeviceJson;
import java.io.PrintWriter;

/** What {@code show} adds about one device (fingerprint, VPD, reset readiness, holders) as text. */
final class DeviceExtras {
  private DeviceExtras() {}

  static DeviceJson.Extras of(GlobalOptions global, Inventory inv, PciDevice d) {
    return DeviceJson.Extras.of(global.sysfs(), global.host().holders(), inv, d);
  }

  static void print(DeviceJson.Extras x, PrintWriter out) {
    x.identity()
        .ifPresent(
            i -> {
              kv(out, "Fingerprint", i.fingerprint().describe());
              kv(out, "Identity", i.fingerprint().identity());
              i.vpd()
                  .ifPresent(
                      v ->
                          kv(
                              out,
                              "VPD",
                              v.productName().map(Vpd::lspciEscape).orElse("(no name)")
                                  + (v.readOnly().isEmpty()
                                      ? ""
                                      : "  " + String.join(" ", v.readOnly().keySet()))));
              i.findings().forEach(f -> kv(out, "Identity note", f));
            });
    ResetReadiness reset = x.reset();
    kv(out, "Reset readiness", resetText(reset));
    reset
        .quirk()
        .ifPresent(q -> kv(out, "Known reset issue", q.problem() + " (" + q.source() + ")"));
    for (GroupHolder g : x.heldBy()) {
      kv(out, "Held by", g.describe() + (g.cmdline().isEmpty() ? "" : ": " + g.cmdline()));
    }
    x.definedDomain()
        .ifPresent(n -> kv(out, "libvirt domain", n + " (defined: assigns this device)"));
  }

  private static String resetText(ResetReadiness reset) {
    if (reset.functionLevel()) {
      return "function-level" + (reset.flr() ? " (FLR)" : "");
    }
    if (reset.onlyBusReset()) {
      String p = reset.parent().map(PciAddress::toString).orElse("?");
      if (!reset.hostVictims().isEmpty()) {
        return "only a bus reset below "
            + p
            + ", which would also reset host device(s) "
            + String.join(", ", reset.hostVictims());
      }
      return "only a bus reset below "
          + p
          + (reset.blastRadius().isEmpty()
              ? " (nothing else below it)"
              : ", also resets " + reset.blastRadius());
    }
    return "none";
  }

  private static void kv(PrintWriter out, String k, String v) {
    out.println("  " + (k + ":" + " ".repeat(17)).substring(0, 17) + v);
  }
}
