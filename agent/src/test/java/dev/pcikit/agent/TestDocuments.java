package dev.pcikit.agent;

import dev.pcikit.core.host.Host;
import dev.pcikit.core.host.Recovery;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/** TEMPORARY (until the formats module): the two documents the agent tests need. */
final class TestDocuments implements DocumentSource {
  @Override
  public ObjectNode devices(Host host, String slot, String ids) {
    if (slot != null) {
      dev.pcikit.core.model.DeviceSelector.slot(slot);
    }
    if (ids != null) {
      dev.pcikit.core.model.DeviceSelector.ids(ids);
    }
    ObjectNode o = Json.object();
    o.put("schema", "pcikit/inventory/v1");
    var arr = o.putArray("devices");
    host.inventory(dev.pcikit.core.inventory.InventoryReader.Detail.LISTING)
        .devices()
        .forEach(
            d ->
                arr.addObject()
                    .put("bdf", d.address().toString())
                    .put("vendor", String.format("%04x", d.vendor()))
                    .put("device", String.format("%04x", d.device()))
                    .put("class", String.format("%06x", d.classCode()))
                    .put("driver", d.driver().orElse(null)));
    return o;
  }

  @Override
  public ObjectNode recovered(List<Recovery.Recovered> done) {
    ObjectNode o = Json.object();
    o.put("schema", "pcikit/recover/v1");
    var arr = o.putArray("recovered");
    done.forEach(
        r -> arr.addObject().put("operation", r.operation().name()).put("summary", r.summary()));
    return o;
  }
}
