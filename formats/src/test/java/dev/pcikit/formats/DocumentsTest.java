package dev.pcikit.formats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.ids.DeviceNames;
import dev.pcikit.core.ids.PciIds;
import dev.pcikit.core.inventory.Inventory;
import dev.pcikit.core.inventory.InventoryReader;
import dev.pcikit.core.plan.MachineType;
import dev.pcikit.sim.SimulatedHost;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The documents as a library caller (the agent) builds them, outside the CLI. */
class DocumentsTest {
  private final Inventory inv =
      SimulatedHost.open("demo:x86-workstation").inventory(InventoryReader.Detail.LISTING);
  private final DeviceNames names = new DeviceNames(PciIds.empty());

  @Test
  void inventoryDocumentHasSchemaFirstAndEveryDevice() {
    ObjectNode doc = InventoryJson.devices(inv, inv.devices(), names);
    assertThat(doc.propertyNames().iterator().next()).isEqualTo("schema");
    assertThat(doc.get("schema").asString()).isEqualTo(InventoryJson.SCHEMA);
    assertThat(doc.get("devices").size()).isEqualTo(inv.devices().size());
    assertThat(doc.get("devices").get(0).get("bdf").asString())
        .isEqualTo(inv.devices().get(0).address().toString());
  }

  @Test
  void jsonAndYamlTextsReadBackToTheSameTree() {
    ObjectNode doc = InventoryJson.groups(inv, names);
    JsonNode fromJson = Documents.json().readTree(Documents.text(doc, DocumentFormat.JSON));
    JsonNode fromYaml =
        YAMLMapper.builder().build().readTree(Documents.text(doc, DocumentFormat.YAML));
    assertThat(fromJson).isEqualTo(doc);
    assertThat(fromYaml).isEqualTo(doc);
  }

  @Test
  void guestSpecReadsYamlAndRefusesUnknownKeys() {
    var spec = GuestSpecReader.parse("machine: q35\ndevices: [0000:03:00.0]\n", "g.yaml");
    assertThat(spec.machine()).isEqualTo(MachineType.parse("q35"));
    assertThat(spec.devices()).hasSize(1);
    assertThatThrownBy(() -> GuestSpecReader.parse("machine: q35\nmachnie: virt\n", "g.yaml"))
        .isInstanceOfSatisfying(
            PcikitException.class, e -> assertThat(e.failure()).isEqualTo(Failure.BAD_INPUT))
        .hasMessageContaining("unknown key 'machnie'");
  }
}
