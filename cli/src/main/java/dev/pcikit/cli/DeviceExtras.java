package dev.pcikit.cli;

import dev.pcikit.core.holders.GroupHolder;
import dev.pcikit.core.holders.Holders;
import dev.pcikit.core.identity.DeviceIdentity;
import dev.pcikit.core.identity.FingerprintReader;
import dev.pcikit.core.identity.Vpd;
import dev.pcikit.core.inventory.Inventory;
import dev.pcikit.core.inventory.PciDevice;
import dev.pcikit.core.model.PciAddress;
import dev.pcikit.core.reset.ResetReadiness;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** What {@code show} adds about one device: fingerprint, VPD, reset readiness, holders. */
record DeviceExtras(
    Optional<DeviceIdentity> identity,
    ResetReadiness reset,
    List<GroupHolder> heldBy,
    Optional<String> definedDomain) {

  static DeviceExtras of(GlobalOptions global, Inventory inv, PciDevice d) {
    Optional<DeviceIdentity> id;
    try {
      id = Optional.of(new FingerprintReader(global.sysfs()).read(d.address()));
    } catch (IOException e) {
      id = Optional.empty();
    }
    Holders h = HolderAccess.holders(global);
    return new DeviceExtras(
        id,
        ResetReadiness.of(inv, d),
        h.of(d.address(), d.iommuGroup().orElse(null)),
        h.assignedTo(d.address()).map(x -> x.name()));
  }

  void print(PrintWriter out) {
    identity.ifPresent(
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
    kv(out, "Reset readiness", resetText());
    reset
        .quirk()
        .ifPresent(q -> kv(out, "Known reset issue", q.problem() + " (" + q.source() + ")"));
    if (!heldBy.isEmpty()) {
      for (GroupHolder g : heldBy) {
        kv(out, "Held by", g.describe() + (g.cmdline().isEmpty() ? "" : ": " + g.cmdline()));
      }
    }
    definedDomain.ifPresent(n -> kv(out, "libvirt domain", n + " (defined: assigns this device)"));
  }

  private String resetText() {
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

  void json(ObjectNode doc) {
    if (identity.isPresent()) {
      VfioStatusJson.fingerprint(doc.putObject("fingerprint"), identity.get().fingerprint());
      ArrayNode f = doc.putArray("identityFindings");
      identity.get().findings().forEach(f::add);
    } else {
      doc.putNull("fingerprint");
    }
    ObjectNode r = doc.putObject("reset");
    ArrayNode m = r.putArray("methods");
    reset.methods().ifPresent(l -> l.forEach(m::add));
    r.put("methodsPublished", reset.methods().isPresent());
    r.put("flr", reset.flr());
    r.put("functionLevel", reset.functionLevel());
    r.put("onlyBusReset", reset.onlyBusReset());
    r.put("bridge", reset.parent().map(PciAddress::toString).orElse(null));
    ArrayNode br = r.putArray("blastRadius");
    reset.blastRadius().forEach(a -> br.add(a.toString()));
    ArrayNode hv = r.putArray("hostVictims");
    reset.hostVictims().forEach(hv::add);
    if (reset.quirk().isPresent()) {
      ObjectNode q = r.putObject("knownIssue");
      q.put("problem", reset.quirk().get().problem());
      q.put("source", reset.quirk().get().source());
    } else {
      r.putNull("knownIssue");
    }
    VfioStatusJson.holdersJson(doc.putArray("heldBy"), heldBy);
    doc.put("libvirtDefinedDomain", definedDomain.orElse(null));
  }

  private static void kv(PrintWriter out, String k, String v) {
    out.println("  " + (k + ":" + " ".repeat(17)).substring(0, 17) + v);
  }
}
