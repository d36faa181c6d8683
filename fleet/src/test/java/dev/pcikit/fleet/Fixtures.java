package dev.pcikit.fleet;

import java.io.IOException;
import java.io.InputStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Inventory documents of the demo hosts, as `pcikit --host demo:NAME list -o json` printed them.
 */
final class Fixtures {
  private Fixtures() {}

  static byte[] bytes(String host) {
    try (InputStream in = Fixtures.class.getResourceAsStream(host + ".json")) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static ObjectNode doc(String host) {
    return (ObjectNode) InventoryDoc.JSON.readTree(bytes(host));
  }

  /** The device object with this address in a document. */
  static ObjectNode device(JsonNode doc, String bdf) {
    for (JsonNode d : doc.get("devices")) {
      if (d.get("bdf").asString().equals(bdf)) {
        return (ObjectNode) d;
      }
    }
    throw new IllegalArgumentException(bdf);
  }
}
