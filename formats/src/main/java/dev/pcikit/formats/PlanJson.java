package dev.pcikit.formats;

import dev.pcikit.core.plan.EehReport;
import dev.pcikit.core.plan.GuestAddress;
import dev.pcikit.core.plan.Plan;
import dev.pcikit.core.plan.PlannedController;
import dev.pcikit.core.plan.PlannedDevice;
import java.util.Locale;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The guest topology plan as the document {@value #SCHEMA}, as {@code pcikit plan -o json|yaml},
 * {@code plan hotplug -o json} and the agent's {@code POST /v1/plans?format=json} give it to
 * orchestrators. Field names are part of pcikit's interface (docs/planner.md).
 */
public final class PlanJson {
  /** The schema name. */
  public static final String SCHEMA = "pcikit/plan/v1";

  private PlanJson() {}

  /**
   * The plan document: the guest's controllers (PHBs, root ports) and devices with their guest
   * addresses, QEMU ids and the extended-config-space prediction, the EEH isolation per PHB, and
   * the planner's notes and warnings.
   *
   * @param plan the plan
   * @return the document
   */
  public static ObjectNode document(Plan plan) {
    ObjectNode doc = Documents.document(SCHEMA);
    doc.put("name", plan.name());
    doc.put("machine", plan.machine().qemuName());
    doc.put("existingDomain", plan.base().isPresent());
    ArrayNode controllers = doc.putArray("controllers");
    for (PlannedController c : plan.controllers()) {
      controllers.add(controller(c));
    }
    ArrayNode devices = doc.putArray("devices");
    for (PlannedDevice d : plan.devices()) {
      devices.add(device(d));
    }
    ArrayNode eeh = doc.putArray("eeh");
    for (EehReport e : plan.eeh()) {
      ObjectNode o = eeh.addObject();
      o.put("phbIndex", e.phbIndex());
      ArrayNode groups = o.putArray("iommuGroups");
      e.groups().forEach(groups::add);
      o.put("isolated", e.isolated());
    }
    plan.notes().forEach(doc.putArray("notes")::add);
    plan.warnings().forEach(doc.putArray("warnings")::add);
    return doc;
  }

  private static ObjectNode controller(PlannedController c) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("index", c.index());
    o.put("model", c.kind().libvirtModel());
    o.put("qemuDevice", c.kind().qemuDevice());
    o.put("qemuId", c.qemuId());
    o.put("purpose", c.purpose().name().toLowerCase(Locale.ROOT));
    if (c.phbIndex() >= 0) {
      o.put("phbIndex", c.phbIndex());
      o.put("extendedConfig", c.extendedConfig());
    }
    if (c.numaNode() >= 0) {
      o.put("numaNode", c.numaNode());
    }
    if (c.chassis() >= 0) {
      o.put("chassis", c.chassis());
      o.put("port", c.port());
    }
    if (c.address().isPresent()) {
      address(o, "address", c.address().get());
      o.put("multifunction", c.multifunction());
    }
    return o;
  }

  private static ObjectNode device(PlannedDevice d) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("host", d.host().address().toString());
    o.put("ids", d.host().ids());
    o.put("iommuGroup", d.host().iommuGroup());
    o.put("hostNumaNode", d.host().numaNode());
    o.put("pcie", d.host().pcie());
    o.put("hostConfigSize", d.host().configSize());
    address(o, "guest", d.address());
    o.put("qemuBus", d.qemuBus());
    o.put("qemuAddr", d.address().qemuAddr());
    o.put("alias", d.alias());
    o.put("multifunction", d.multifunction());
    o.put("managed", d.managed());
    o.put("addedForGroup", d.addedForGroup());
    ObjectNode ext = o.putObject("extendedConfig");
    ext.put("reachable", d.extendedConfig().reachable());
    if (d.extendedConfig().configSpaceType().isPresent()) {
      ext.put("ibmPciConfigSpaceType", d.extendedConfig().configSpaceType().getAsInt());
    } else {
      ext.putNull("ibmPciConfigSpaceType");
    }
    ext.put("reason", d.extendedConfig().reason());
    if (d.zpci().isPresent()) {
      ObjectNode z = o.putObject("zpci");
      z.put("uid", d.zpci().get().uid());
      z.put("fid", d.zpci().get().fid());
    }
    d.driverModel().ifPresent(m -> o.put("driverModel", m));
    return o;
  }

  private static void address(ObjectNode parent, String key, GuestAddress a) {
    ObjectNode o = parent.putObject(key);
    o.put("bus", a.bus());
    o.put("slot", a.slot());
    o.put("function", a.function());
  }
}
