package dev.pcikit.formats;

import dev.pcikit.core.check.CheckReport;
import dev.pcikit.core.check.DeviceReport;
import dev.pcikit.core.check.Finding;
import dev.pcikit.core.check.FixAction;
import dev.pcikit.core.holders.Holders;
import dev.pcikit.core.identity.DeviceIdentity;
import dev.pcikit.core.ids.DeviceNames;
import dev.pcikit.core.inventory.Inventory;
import dev.pcikit.core.model.PciAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The readiness document {@value #SCHEMA}, as {@code pcikit check -o json} prints it. */
public final class CheckJson {
  /** The schema name. */
  public static final String SCHEMA = "pcikit/check/v1";

  private CheckJson() {}

  /**
   * The check document without fingerprints or holders.
   *
   * @param r the report
   * @param inv the inventory it was made from
   * @param names vendor and device names
   * @return the document
   */
  public static ObjectNode document(CheckReport r, Inventory inv, DeviceNames names) {
    return document(r, inv, names, Map.of(), Holders.NONE);
  }

  /**
   * The check document: overall verdict, host findings, and per device its verdict, group peers,
   * findings (code, verdict, subject, message, fix, action), fingerprint and holders.
   *
   * @param r the report
   * @param inv the inventory it was made from
   * @param names vendor and device names
   * @param ids fingerprints by address (a device without one has no {@code fingerprint} field)
   * @param holders who holds the VFIO groups open
   * @return the document
   */
  public static ObjectNode document(
      CheckReport r,
      Inventory inv,
      DeviceNames names,
      Map<PciAddress, DeviceIdentity> ids,
      Holders holders) {
    ObjectNode doc = Documents.document(SCHEMA);
    doc.put("verdict", r.verdict().name().toLowerCase(Locale.ROOT));
    doc.put("hostReady", r.host().stream().noneMatch(Finding::blocking));
    findings(doc.putArray("host"), r.host());
    ArrayNode devs = doc.putArray("devices");
    for (DeviceReport d : r.devices()) {
      ObjectNode o = devs.addObject();
      o.put("bdf", d.address().toString());
      inv.device(d.address())
          .ifPresent(p -> o.put("name", names.shortName(p.vendor(), p.device())));
      o.put("assignable", d.assignable());
      o.put("verdict", d.verdict().name().toLowerCase(Locale.ROOT));
      if (d.iommuGroup() != null) {
        o.put("iommuGroup", d.iommuGroup());
      } else {
        o.putNull("iommuGroup");
      }
      ArrayNode peers = o.putArray("groupPeers");
      for (PciAddress a : d.groupPeers()) {
        peers.add(a.toString());
      }
      findings(o.putArray("findings"), d.findings());
      DeviceIdentity id = ids.get(d.address());
      if (id != null) {
        IdentityJson.fingerprint(o.putObject("fingerprint"), id.fingerprint());
      }
      IdentityJson.holders(o.putArray("heldBy"), holders.of(d.address(), d.iommuGroup()));
    }
    return doc;
  }

  private static void findings(ArrayNode arr, List<Finding> fs) {
    for (Finding f : fs) {
      ObjectNode o = arr.addObject();
      o.put("code", f.code());
      o.put("verdict", f.verdict().name().toLowerCase(Locale.ROOT));
      o.put("subject", f.subject());
      o.put("message", FindingWording.message(f));
      String fix = FindingWording.fix(f);
      if (fix.isEmpty()) {
        o.putNull("fix");
      } else {
        o.put("fix", fix);
      }
      FixAction a = f.action();
      if (a.present()) {
        ObjectNode action = o.putObject("action");
        action.put("kind", a.kind().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        ArrayNode devices = action.putArray("devices");
        a.devices().forEach(d -> devices.add(d.toString()));
      } else {
        o.putNull("action");
      }
    }
  }
}
