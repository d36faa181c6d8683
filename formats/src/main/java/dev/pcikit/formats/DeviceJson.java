package dev.pcikit.formats;

import dev.pcikit.core.config.ConfigDecoder;
import dev.pcikit.core.config.ConfigRenderer;
import dev.pcikit.core.holders.GroupHolder;
import dev.pcikit.core.holders.Holders;
import dev.pcikit.core.identity.DeviceIdentity;
import dev.pcikit.core.identity.FingerprintReader;
import dev.pcikit.core.ids.DeviceNames;
import dev.pcikit.core.inventory.Inventory;
import dev.pcikit.core.inventory.PciDevice;
import dev.pcikit.core.model.PciAddress;
import dev.pcikit.core.reset.ResetReadiness;
import dev.pcikit.core.sysfs.Sysfs;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The one-device document {@value #SCHEMA}, as {@code pcikit show -o json} prints it. */
public final class DeviceJson {
  /** The schema name. */
  public static final String SCHEMA = "pcikit/device/v1";

  private DeviceJson() {}

  /**
   * What {@code show} adds about one device beyond the inventory: fingerprint and VPD, reset
   * readiness, who holds its group, the libvirt domain defined to use it.
   *
   * @param identity the fingerprint and identity findings, empty when unreadable
   * @param reset how the device can be reset
   * @param heldBy the processes holding its IOMMU group open
   * @param definedDomain the defined libvirt domain that assigns it
   */
  public record Extras(
      Optional<DeviceIdentity> identity,
      ResetReadiness reset,
      List<GroupHolder> heldBy,
      Optional<String> definedDomain) {

    /**
     * Reads the extras of one device.
     *
     * @param sysfs the host's sysfs (fingerprints read config space and VPD)
     * @param holders who holds the host's VFIO groups
     * @param inv the inventory
     * @param d the device
     * @return the extras
     */
    public static Extras of(Sysfs sysfs, Holders holders, Inventory inv, PciDevice d) {
      Optional<DeviceIdentity> id;
      try {
        // the inventory's facts (its whole config space with FULL detail) are not read again
        id = Optional.of(new FingerprintReader(sysfs, inv.devices()).read(d.address()));
      } catch (IOException e) {
        id = Optional.empty();
      }
      return new Extras(
          id,
          ResetReadiness.of(inv, d),
          holders.of(d.address(), d.iommuGroup().orElse(null)),
          holders.assignedTo(d.address()).map(x -> x.name()));
    }
  }

  /**
   * The device document: the inventory object, group members, decoded capabilities, extras and the
   * device's problems.
   *
   * @param inv the inventory
   * @param d the device
   * @param names vendor, device and class names
   * @param extras what {@link Extras#of} read
   * @return the document
   */
  public static ObjectNode document(Inventory inv, PciDevice d, DeviceNames names, Extras extras) {
    ObjectNode doc = Documents.document(SCHEMA);
    InventoryJson.device(doc.putObject("device"), d, names);
    inv.groupOf(d)
        .ifPresent(
            g -> {
              ArrayNode m = doc.putArray("groupMembers");
              g.members().forEach(a -> m.add(a.toString()));
            });
    ArrayNode caps = doc.putArray("capabilities");
    capabilities(d).forEach(caps::add);
    extras(doc, extras);
    ArrayNode pr = doc.putArray("problems");
    d.problems().forEach(p -> pr.add(p.toString()));
    return doc;
  }

  /**
   * The device's decoded config-space capabilities, one line each (the same lines {@code show}
   * prints in its table).
   *
   * @param d the device
   * @return the lines, empty when no config space could be read
   */
  public static List<String> capabilities(PciDevice d) {
    if (d.config().length == 0) {
      return List.of();
    }
    // A VF's COMMAND register reads memory-space off by design (SR-IOV spec 3.4.1.3), also a
    // detached VF's whose PF this kernel cannot see (s390 zPCI: no_command_memory): the
    // renderer is told so that it does not report the VF as disabled.
    boolean vf = d.isVirtualFunction();
    return ConfigRenderer.lines(ConfigDecoder.decode(d.config()), new ConfigRenderer.Options(vf));
  }

  private static void extras(ObjectNode doc, Extras x) {
    if (x.identity().isPresent()) {
      IdentityJson.fingerprint(doc.putObject("fingerprint"), x.identity().get().fingerprint());
      ArrayNode f = doc.putArray("identityFindings");
      x.identity().get().findings().forEach(f::add);
    } else {
      doc.putNull("fingerprint");
    }
    ResetReadiness reset = x.reset();
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
    IdentityJson.holders(doc.putArray("heldBy"), x.heldBy());
    doc.put("libvirtDefinedDomain", x.definedDomain().orElse(null));
  }
}
