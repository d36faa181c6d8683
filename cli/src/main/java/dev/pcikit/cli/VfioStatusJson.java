package dev.pcikit.cli;

import dev.pcikit.core.holders.GroupHolder;
import dev.pcikit.core.holders.Holders;
import dev.pcikit.core.holders.LibvirtDomain;
import dev.pcikit.core.identity.DeviceIdentity;
import dev.pcikit.core.identity.Fingerprint;
import dev.pcikit.core.model.PciAddress;
import dev.pcikit.core.vfio.DeviceFacts;
import dev.pcikit.core.vfio.PersistedBindings;
import dev.pcikit.core.vfio.VfioEngine;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Identity and holder parts of the JSON documents (vfio status, list, show, check). */
final class VfioStatusJson {
  private VfioStatusJson() {}

  /**
   * Adds to {@link StatusJson#vfio}'s document, per VFIO device (same order), who holds its group
   * ({@code heldBy}: pid, comm, cmdline, libvirt domain), the defined libvirt domain assigning it,
   * and its fingerprint; per persisted entry, the recorded fingerprint.
   */
  static void enrich(
      ObjectNode doc, VfioEngine.Status st, Holders holders, Map<PciAddress, DeviceIdentity> ids) {
    JsonNode devs = doc.get("vfioDevices");
    for (int i = 0; i < st.vfioDevices().size(); i++) {
      DeviceFacts d = st.vfioDevices().get(i);
      ObjectNode n = (ObjectNode) devs.get(i);
      List<GroupHolder> who =
          d.iommuGroup() == null ? List.of() : holders.of(d.address(), d.iommuGroup());
      holdersJson(n.putArray("heldBy"), who);
      n.put(
          "libvirtDefinedDomain", holders.assignedTo(d.address()).map(x -> x.name()).orElse(null));
      DeviceIdentity id = ids.get(d.address());
      if (id != null) {
        fingerprint(n.putObject("fingerprint"), id.fingerprint());
      } else {
        n.putNull("fingerprint");
      }
    }
    JsonNode pers = doc.get("persisted");
    int i = 0;
    for (PersistedBindings.Entry e : st.persisted().values()) {
      ObjectNode n = (ObjectNode) pers.get(i++);
      if (e.fingerprint().isPresent()) {
        fingerprint(n.putObject("fingerprint"), e.fingerprint().get());
      } else {
        n.putNull("fingerprint");
      }
    }
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
