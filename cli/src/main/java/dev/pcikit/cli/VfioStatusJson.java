package dev.pcikit.cli;

import dev.pcikit.core.holders.GroupHolder;
import dev.pcikit.core.holders.Holders;
import dev.pcikit.core.holders.LibvirtDomain;
import dev.pcikit.core.identity.DeviceIdentity;
import dev.pcikit.core.identity.Fingerprint;
import dev.pcikit.core.model.PciAddress;
import dev.pcikit.core.vfio.BindingRecords;
import dev.pcikit.core.vfio.DeviceFacts;
import dev.pcikit.core.vfio.PersistedBindings;
import dev.pcikit.core.vfio.VfioEngine;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code vfio status -o json}: schema {@code pcikit/vfio-status/v1}. */
final class VfioStatusJson {
  private VfioStatusJson() {}

  static ObjectNode status(
      VfioEngine.Status st, Holders holders, Map<PciAddress, DeviceIdentity> ids) {
    ObjectNode doc = Structured.document("pcikit/vfio-status/v1");
    ArrayNode devs = doc.putArray("devices");
    for (DeviceFacts d : st.vfioDevices()) {
      ObjectNode n = devs.addObject();
      n.put("bdf", d.address().toString());
      n.put("ids", d.ids());
      n.put("driver", d.binding().driver());
      n.put("override", d.binding().override());
      if (d.iommuGroup() != null) {
        n.put("iommuGroup", d.iommuGroup());
      } else {
        n.putNull("iommuGroup");
      }
      List<GroupHolder> who =
          d.iommuGroup() == null ? List.of() : holders.of(d.address(), d.iommuGroup());
      holdersJson(n.putArray("heldBy"), who);
      holders
          .assignedTo(d.address())
          .ifPresentOrElse(
              dom -> n.put("libvirtDefinedDomain", dom.name()),
              () -> n.putNull("libvirtDefinedDomain"));
      BindingRecords.Record r = st.records().get(d.address());
      n.put("boundByPcikit", r != null);
      n.put("prior", r == null ? null : r.prior().describe());
      n.put("persisted", st.persisted().containsKey(d.address()));
      DeviceIdentity id = ids.get(d.address());
      if (id != null) {
        fingerprint(n.putObject("fingerprint"), id.fingerprint());
      } else {
        n.putNull("fingerprint");
      }
    }
    ArrayNode pers = doc.putArray("persisted");
    for (PersistedBindings.Entry e : st.persisted().values()) {
      ObjectNode n = pers.addObject();
      n.put("bdf", e.address().toString());
      n.put("ids", e.ids());
      n.put("driver", e.driver());
      if (e.fingerprint().isPresent()) {
        fingerprint(n.putObject("fingerprint"), e.fingerprint().get());
      } else {
        n.putNull("fingerprint");
      }
    }
    ObjectNode dc = doc.putObject("driverctl");
    st.driverctl().forEach((a, drv) -> dc.put(a.toString(), drv));
    doc.put(
        "interrupted",
        st.pendingJournal().map(j -> j.op() + " stopped at step " + j.step()).orElse(null));
    return doc;
  }

  static void holdersJson(ArrayNode arr, List<GroupHolder> who) {
    for (GroupHolder h : who) {
      ObjectNode o = arr.addObject();
      if (h.pid() > 0) {
        o.put("pid", h.pid());
      } else {
        o.putNull("pid");
      }
      o.put("comm", h.comm());
      o.put("cmdline", h.cmdline());
      if (h.domain().isPresent()) {
        LibvirtDomain d = h.domain().get();
        o.put("domain", d.name());
        o.put("domainState", d.live() ? "running" : "defined");
        o.put("domainFile", d.file().toString());
      } else {
        o.putNull("domain");
      }
    }
  }

  /** The fingerprint object shared by list, show, check and vfio status JSON. */
  static void fingerprint(ObjectNode o, Fingerprint fp) {
    o.put("strength", fp.strength().label());
    o.put("dsn", fp.dsn().orElse(null));
    o.put("vpdSerial", fp.vpdSerial().orElse(null));
    o.put("slot", fp.slot().orElse(null));
    o.put("locationCode", fp.locationCode().orElse(null));
    o.put("zpci", fp.zpci().orElse(null));
    o.put("path", fp.path());
    o.put("position", fp.position());
    o.put("ids", fp.ids());
    o.put("class", String.format("%06x", fp.classCode()));
    o.put("revision", String.format("%02x", fp.revision()));
  }
}
