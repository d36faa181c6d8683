package dev.pcikit.core.plan.render;

import dev.pcikit.core.plan.EehReport;
import dev.pcikit.core.plan.GuestAddress;
import dev.pcikit.core.plan.Plan;
import dev.pcikit.core.plan.PlannedController;
import dev.pcikit.core.plan.PlannedDevice;

/** The plan as JSON, for orchestrators. Field names are part of pcikit's interface. */
public final class JsonRenderer {
  private JsonRenderer() {}

  public static String render(Plan plan) {
    Json j = new Json();
    j.begin('{');
    j.str("name", plan.name());
    j.str("machine", plan.machine().qemuName());
    j.bool("existingDomain", plan.base().isPresent());
    j.key("controllers").begin('[');
    for (PlannedController c : plan.controllers()) {
      j.begin('{');
      j.num("index", c.index());
      j.str("model", c.kind().libvirtModel());
      j.str("qemuDevice", c.kind().qemuDevice());
      j.str("qemuId", c.qemuId());
      j.str("purpose", c.purpose().name().toLowerCase(java.util.Locale.ROOT));
      if (c.phbIndex() >= 0) {
        j.num("phbIndex", c.phbIndex());
        j.bool("extendedConfig", c.extendedConfig());
      }
      if (c.numaNode() >= 0) {
        j.num("numaNode", c.numaNode());
      }
      if (c.chassis() >= 0) {
        j.num("chassis", c.chassis());
        j.num("port", c.port());
      }
      if (c.address().isPresent()) {
        address(j, "address", c.address().get());
        j.bool("multifunction", c.multifunction());
      }
      j.end('}');
    }
    j.end(']');
    j.key("devices").begin('[');
    for (PlannedDevice d : plan.devices()) {
      j.begin('{');
      j.str("host", d.host().address().toString());
      j.str("ids", d.host().ids());
      j.num("iommuGroup", d.host().iommuGroup());
      j.num("hostNumaNode", d.host().numaNode());
      j.bool("pcie", d.host().pcie());
      j.num("hostConfigSize", d.host().configSize());
      address(j, "guest", d.address());
      j.str("qemuBus", QemuRenderer.bus(d));
      j.str("qemuAddr", d.address().qemuAddr());
      j.str("alias", d.alias());
      j.bool("multifunction", d.multifunction());
      j.bool("managed", d.managed());
      j.bool("addedForGroup", d.addedForGroup());
      j.key("extendedConfig").begin('{');
      j.bool("reachable", d.extendedConfig().reachable());
      if (d.extendedConfig().configSpaceType().isPresent()) {
        j.num("ibmPciConfigSpaceType", d.extendedConfig().configSpaceType().getAsInt());
      } else {
        j.nul("ibmPciConfigSpaceType");
      }
      j.str("reason", d.extendedConfig().reason());
      j.end('}');
      if (d.zpci().isPresent()) {
        j.key("zpci").begin('{');
        j.num("uid", d.zpci().get().uid());
        j.num("fid", d.zpci().get().fid());
        j.end('}');
      }
      d.driverModel().ifPresent(m -> j.str("driverModel", m));
      j.end('}');
    }
    j.end(']');
    j.key("eeh").begin('[');
    for (EehReport e : plan.eeh()) {
      j.begin('{');
      j.num("phbIndex", e.phbIndex());
      j.ints("iommuGroups", e.groups());
      j.bool("isolated", e.isolated());
      j.end('}');
    }
    j.end(']');
    j.strings("notes", plan.notes());
    j.strings("warnings", plan.warnings());
    j.end('}');
    return j.toString();
  }

  private static void address(Json j, String key, GuestAddress a) {
    j.key(key).begin('{');
    j.num("bus", a.bus());
    j.num("slot", a.slot());
    j.num("function", a.function());
    j.end('}');
  }
}
