package dev.pcikit.formats;

import dev.pcikit.core.holders.Holders;
import dev.pcikit.core.identity.DeviceIdentity;
import dev.pcikit.core.identity.FingerprintReader;
import dev.pcikit.core.ids.DeviceNames;
import dev.pcikit.core.inventory.GroupStatus;
import dev.pcikit.core.inventory.Inventory;
import dev.pcikit.core.inventory.IommuGroup;
import dev.pcikit.core.inventory.PciDevice;
import dev.pcikit.core.inventory.Problem;
import dev.pcikit.core.model.PciAddress;
import dev.pcikit.core.text.Hex;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The inventory documents: {@value #SCHEMA} (devices, as {@code pcikit list -o json}) and {@value
 * #GROUPS_SCHEMA} (IOMMU groups, as {@code pcikit groups -o json}). Field meanings are documented
 * in docs/.
 */
public final class InventoryJson {
  /** The devices document's schema name. */
  public static final String SCHEMA = "pcikit/inventory/v1";

  /** The groups document's schema name. */
  public static final String GROUPS_SCHEMA = "pcikit/groups/v1";

  private InventoryJson() {}

  /**
   * The devices document: one object per shown device, then every problem of the inventory.
   *
   * @param inv the inventory
   * @param shown the devices to list (a selection of {@code inv}'s), in order
   * @param names vendor, device and class names
   * @return the document
   */
  public static ObjectNode devices(Inventory inv, List<PciDevice> shown, DeviceNames names) {
    ObjectNode doc = Documents.document(SCHEMA);
    ArrayNode arr = doc.putArray("devices");
    for (PciDevice d : shown) {
      device(arr.addObject(), d, names);
    }
    problems(doc.putArray("problems"), inv);
    return doc;
  }

  /**
   * The devices document as {@code pcikit list -o json} prints it: {@link #devices}, each device
   * with its {@code fingerprint} (null when unreadable) and {@code heldBy}, and its kernel {@code
   * modules} when asked for.
   *
   * @param inv the inventory
   * @param shown the devices to list, in order
   * @param names vendor, device and class names
   * @param fingerprints reads the devices' fingerprints (give it the inventory: {@link
   *     dev.pcikit.core.host.Host#fingerprints})
   * @param holders who holds the VFIO groups open
   * @param modules the host modules that can drive a device, or null for no {@code modules} field
   * @return the document
   */
  public static ObjectNode list(
      Inventory inv,
      List<PciDevice> shown,
      DeviceNames names,
      FingerprintReader fingerprints,
      Holders holders,
      Function<PciDevice, List<String>> modules) {
    ObjectNode doc = devices(inv, shown, names);
    ArrayNode devs = (ArrayNode) doc.get("devices");
    // read in parallel, like the inventory: the fingerprints are most of a listing's reads
    Map<PciAddress, DeviceIdentity> ids =
        fingerprints.readEach(shown.stream().map(PciDevice::address).toList());
    for (int i = 0; i < shown.size(); i++) {
      ObjectNode o = (ObjectNode) devs.get(i);
      PciDevice d = shown.get(i);
      DeviceIdentity id = ids.get(d.address());
      if (id != null) {
        IdentityJson.fingerprint(o.putObject("fingerprint"), id.fingerprint());
      } else {
        o.putNull("fingerprint");
      }
      IdentityJson.holders(
          o.putArray("heldBy"), holders.of(d.address(), d.iommuGroup().orElse(null)));
    }
    if (modules != null) {
      for (int i = 0; i < shown.size(); i++) {
        ArrayNode m = ((ObjectNode) devs.get(i)).putArray("modules");
        modules.apply(shown.get(i)).forEach(m::add);
      }
    }
    return doc;
  }

  /**
   * Fills one device object: IDs and names, class, driver, IOMMU group, NUMA node, SR-IOV role and
   * capability, reset methods, parent and root bus.
   *
   * @param o the (empty) object to fill
   * @param d the device
   * @param names vendor, device and class names
   */
  public static void device(ObjectNode o, PciDevice d, DeviceNames names) {
    o.put("bdf", d.address().toString());
    o.put("vendor", hex4(d.vendor()));
    o.put("device", hex4(d.device()));
    o.put("subsystemVendor", hex4(d.subsystemVendor()));
    o.put("subsystemDevice", hex4(d.subsystemDevice()));
    o.put("class", d.classCode() < 0 ? null : Hex.pad(d.classCode(), 6));
    o.put("revision", d.revision() < 0 ? null : Hex.pad(d.revision(), 2));
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

  /**
   * The groups document for every IOMMU group of the inventory.
   *
   * @param inv the inventory
   * @param names vendor and device names
   * @return the document
   */
  public static ObjectNode groups(Inventory inv, DeviceNames names) {
    return groups(inv, inv.groups().values(), names);
  }

  /**
   * The groups document: per group its viability status, members and what blocks it.
   *
   * @param inv the inventory
   * @param groups the groups to list, in order
   * @param names vendor and device names
   * @return the document
   */
  public static ObjectNode groups(Inventory inv, Collection<IommuGroup> groups, DeviceNames names) {
    ObjectNode doc = Documents.document(GROUPS_SCHEMA);
    ArrayNode arr = doc.putArray("groups");
    for (IommuGroup g : groups) {
      GroupStatus st = GroupStatus.of(g, inv);
      ObjectNode o = arr.addObject();
      o.put("group", g.id());
      o.put("status", st.kind().name().toLowerCase(Locale.ROOT).replace('_', '-'));
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

  /**
   * Adds one object per problem of the inventory: subject, severity, message.
   *
   * @param arr the array to add to
   * @param inv the inventory
   */
  public static void problems(ArrayNode arr, Inventory inv) {
    for (Problem p : inv.allProblems()) {
      ObjectNode o = arr.addObject();
      o.put("subject", p.subject());
      o.put("severity", p.severity().name().toLowerCase(Locale.ROOT));
      o.put("message", p.message());
    }
  }

  private static String hex4(int v) {
    return v < 0 ? null : Hex.pad(v, 4);
  }
}
