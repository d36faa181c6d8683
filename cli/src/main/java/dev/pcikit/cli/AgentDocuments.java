package dev.pcikit.cli;

import dev.pcikit.agent.DocumentSource;
import dev.pcikit.core.host.Host;
import dev.pcikit.core.identity.FingerprintReader;
import dev.pcikit.core.ids.DeviceNames;
import dev.pcikit.core.ids.PciIdsLocator;
import dev.pcikit.core.inventory.Inventory;
import dev.pcikit.core.inventory.InventoryReader;
import dev.pcikit.core.inventory.PciDevice;
import dev.pcikit.core.model.DeviceSelector;
import dev.pcikit.formats.IdentityJson;
import dev.pcikit.formats.InventoryJson;
import dev.pcikit.formats.StatusJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.node.ObjectNode;

/**
 * TEMPORARY: the agent's documents built with the CLI's JSON classes, until those move to the
 * formats module (issue 12); then the agent builds them itself and this class goes.
 */
final class AgentDocuments implements DocumentSource {
  private final GlobalOptions global;
  private Set<Integer> namedVendors;
  private DeviceNames names;

  AgentDocuments(GlobalOptions global) {
    this.global = global;
  }

  private synchronized DeviceNames names(Inventory inv) {
    Set<Integer> vendors = new TreeSet<>();
    for (PciDevice d : inv.devices()) {
      vendors.add(d.vendor());
      vendors.add(d.subsystemVendor());
    }
    if (!vendors.equals(namedVendors)) {
      names = new DeviceNames(PciIdsLocator.load(global.pciIds, global.systemRoot(), vendors));
      namedVendors = vendors;
    }
    return names;
  }

  @Override
  public ObjectNode devices(Host host, String slot, String ids) {
    List<DeviceSelector> sel = new ArrayList<>();
    if (slot != null) {
      sel.add(DeviceSelector.slot(slot));
    }
    if (ids != null) {
      sel.add(DeviceSelector.ids(ids));
    }
    Inventory inv = host.inventory(InventoryReader.Detail.LISTING);
    List<PciDevice> shown = new ArrayList<>();
    for (PciDevice d : inv.devices()) {
      if (sel.stream().allMatch(s -> SelectionOptions.matches(s, d))) {
        shown.add(d);
      }
    }
    ObjectNode doc = InventoryJson.devices(inv, shown, names(inv));
    FingerprintReader fps = new FingerprintReader(host.sysfs(), inv.devices());
    var holders = host.holders();
    var devs = doc.get("devices");
    for (int i = 0; i < shown.size(); i++) {
      ObjectNode o = (ObjectNode) devs.get(i);
      PciDevice d = shown.get(i);
      try {
        IdentityJson.fingerprint(o.putObject("fingerprint"), fps.read(d.address()).fingerprint());
      } catch (IOException e) {
        o.putNull("fingerprint");
      }
      IdentityJson.holders(
          o.putArray("heldBy"), holders.of(d.address(), d.iommuGroup().orElse(null)));
    }
    return doc;
  }

  @Override
  public ObjectNode recovered(List<dev.pcikit.core.host.Recovery.Recovered> done) {
    return StatusJson.recovered(done);
  }
}
