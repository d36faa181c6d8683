package dev.pcikit.cli;

import dev.pcikit.core.ids.DeviceNames;
import dev.pcikit.core.inventory.GroupStatus;
import dev.pcikit.core.inventory.Inventory;
import dev.pcikit.core.inventory.IommuGroup;
import dev.pcikit.core.inventory.PciDevice;
import dev.pcikit.core.inventory.Problem;
import dev.pcikit.core.model.PciAddress;
import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The machine-readable inventory (schema pcikit/inventory/v1, documented in docs/). */
final class InventoryJson {
  static final String SCHEMA = "pcikit/inventory/v1";

  private InventoryJson() {}

  static ObjectNode devices(Inventory inv, List<PciDevice> shown, DeviceNames names) {
    ObjectNode doc = Structured.document(SCHEMA);
    ArrayNode arr = doc.putArray("devices");
    for (PciDevice d : shown) {
      device(arr.addObject(), d, names);
    }
    problems(doc.putArray("problems"), inv);
    return doc;
  }

  static void device(ObjectNode o, PciDevice d, DeviceNames names) {
    o.put("bdf", d.address().toString());
    o.put("vendor", hex4(d.vendor()));
    o.put("device", hex4(d.device()));
    o.put("subsystemVendor", hex4(d.subsystemVendor()));
    o.put("subsystemDevice", hex4(d.subsystemDevice()));
    o.put("class", d.classCode() < 0 ? null : String.format("%06x", d.classCode()));
    o.put("revision", d.revision() < 0 ? null : String.format("%02x", d.revision()));
    o.put("vendorName", names.ids().vendor(d.vendor()).orElse(null));
    o.put("deviceName", names.ids().device(d.vendor(), d.device()).orElse(null));
    o.put("className", names.ids().className(Math.max(0, d.classCode())).orElse(null));
    o.put("modalias", d.modalias().orElse(null));
    o.put("driver", d.driver().orElse(null));
    o.put("driverModule", d.driverModule().orElse(null));
    o.put("driverOverride", d.driverOverride().orElse(null));
    if (d.iommuGroup().isPresent()) {
      o.put("iommuGroup", d.iommuGroup().get());
    } else {
      o.putNull("iommuGroup");
    }
    if (d.numaNode() >= 0) {
      o.put("numaNode", d.numaNode());
    } else {
      o.putNull("numaNode");
    }
    o.put("sriovRole", d.sriovRole().isEmpty() ? null : d.sriovRole());
    o.put("physfn", d.physfn().map(PciAddress::toString).orElse(null));
    if (d.zpciVfn() > 0) {
      o.put("zpciVfn", d.zpciVfn());
      o.put("pfVisible", d.physfn().isPresent());
    }
    if (!d.virtfns().isEmpty()) {
      ArrayNode v = o.putArray("virtfns");
      d.virtfns().forEach(a -> v.add(a.toString()));
    }
    d.sriov()
        .ifPresent(
            s -> {
              ObjectNode so = o.putObject("sriov");
              so.put("totalVfs", s.totalVfs());
              so.put("numVfs", s.numVfs());
              if (s.driversAutoprobe() >= 0) {
                so.put("driversAutoprobe", s.driversAutoprobe() == 1);
              }
              if (s.offset() >= 0) {
                so.put("offset", s.offset());
              }
              if (s.stride() >= 0) {
                so.put("stride", s.stride());
              }
              if (s.vfDevice() >= 0) {
                so.put("vfDevice", hex4(s.vfDevice()));
              }
            });
    d.resetMethods()
        .ifPresent(
            r -> {
              ArrayNode a = o.putArray("resetMethods");
              r.forEach(a::add);
            });
    d.bootVga().ifPresent(b -> o.put("bootVga", b));
    d.enabled().ifPresent(b -> o.put("enabled", b));
    o.put("parent", d.parent().map(PciAddress::toString).orElse(null));
    o.put("rootBus", d.rootBus());
    o.put("configBytes", d.config().length);
    o.put("notResponding", d.notResponding());
  }

  static ObjectNode groups(Inventory inv, DeviceNames names) {
    return groups(inv, inv.groups().values(), names);
  }

  static ObjectNode groups(
      Inventory inv, java.util.Collection<IommuGroup> groups, DeviceNames names) {
    ObjectNode doc = Structured.document("pcikit/groups/v1");
    ArrayNode arr = doc.putArray("groups");
    for (IommuGroup g : groups) {
      GroupStatus st = GroupStatus.of(g, inv);
      ObjectNode o = arr.addObject();
      o.put("group", g.id());
      o.put("status", st.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
      o.put("allEndpoints", st.allEndpoints());
      ArrayNode m = o.putArray("members");
      for (PciAddress a : g.members()) {
        ObjectNode mo = m.addObject();
        mo.put("bdf", a.toString());
        inv.device(a)
            .ifPresent(
                d -> {
                  mo.put("name", names.vendorDeviceText(d.vendor(), d.device()));
                  mo.put("driver", d.driver().orElse(null));
                  mo.put("bridge", d.isBridge());
                });
      }
      ArrayNode b = o.putArray("blockers");
      st.blockers().forEach(d -> b.add(d.address().toString()));
    }
    problems(doc.putArray("problems"), inv);
    return doc;
  }

  static void problems(ArrayNode arr, Inventory inv) {
    for (Problem p : inv.allProblems()) {
      ObjectNode o = arr.addObject();
      o.put("subject", p.subject());
      o.put("severity", p.severity().name().toLowerCase(java.util.Locale.ROOT));
      o.put("message", p.message());
    }
  }

  private static String hex4(int v) {
    return v < 0 ? null : String.format("%04x", v);
  }
}
