package dev.pcikit.formats;

import dev.pcikit.core.holders.GroupHolder;
import dev.pcikit.core.holders.LibvirtDomain;
import dev.pcikit.core.identity.Fingerprint;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The objects the inventory, device, check and vfio-status documents share: a device's fingerprint
 * and who holds its IOMMU group open.
 */
public final class IdentityJson {
  private IdentityJson() {}

  /**
   * Fills the fingerprint object: strength, serials (DSN, VPD), slot, location code, zPCI identity,
   * topology path and position, IDs, class and revision.
   *
   * @param o the (empty) object to fill
   * @param fp the fingerprint
   */
  public static void fingerprint(ObjectNode o, Fingerprint fp) {
    o.put("strength", fp.strength().label());
    o.put("dsn", fp.dsn().orElse(null));
    o.put("vpdSerial", fp.vpdSerial().orElse(null));
    o.put("slot", fp.slot().orElse(null));
    o.put("locationCode", fp.locationCode().orElse(null));
    o.put("zpci", fp.zpci().orElse(null));
    o.put("path", fp.path());
    o.put("position", fp.position());
    o.put("ids", fp.ids());
    o.put("class", String.format(Locale.ROOT, "%06x", fp.classCode()));
    o.put("revision", String.format(Locale.ROOT, "%02x", fp.revision()));
  }

  /**
   * Adds one object per holder: pid (null when unknown), comm, cmdline and, when the process is a
   * libvirt guest, its domain name, state (running or defined) and definition file.
   *
   * @param arr the array to add to
   * @param who the holders, in order
   */
  public static void holders(ArrayNode arr, List<GroupHolder> who) {
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
}
