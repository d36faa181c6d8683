package dev.pcikit.formats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.core.host.Host;
import dev.pcikit.core.inventory.InventoryReader;
import dev.pcikit.core.plan.InventoryHostFacts;
import dev.pcikit.core.plan.Plan;
import dev.pcikit.core.plan.Planner;
import dev.pcikit.sim.SimulatedHost;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The plan document on the demo hosts, one per machine type: golden files (regenerate with {@code
 * -Dpcikit.regenerate=true} and review the diff), schema first, and YAML that reads back to the
 * same tree.
 */
class PlanJsonTest {
  static final Path GOLDEN = Path.of("src/test/resources/golden");

  static Plan plan(String demo, String guestYaml) {
    Host host = SimulatedHost.open("demo:" + demo);
    var inv = host.inventory(InventoryReader.Detail.FULL);
    return Planner.plan(
        GuestSpecReader.parse(guestYaml, "test"),
        InventoryHostFacts.of(inv, host.sysfs()),
        Optional.empty());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "plan-pseries | power9 | machine: pseries\\ndevices: [0001:01:00.0, 0030:01:00.0]",
        "plan-q35 | x86-workstation | machine: q35\\ndevices: [0000:01:00.0, 0000:02:00.0]",
        "plan-s390x | s390x | machine: s390-ccw-virtio\\ndevices: [0002:00:00.0, 0003:00:00.0]"
      })
  void planDocumentMatchesItsGoldenFileAndReadsBackFromYaml(String name, String demo, String spec)
      throws IOException {
    Plan plan = plan(demo, spec.replace("\\n", "\n"));
    var doc = PlanJson.document(plan);
    String json = Documents.text(doc, DocumentFormat.JSON) + "\n";
    Path golden = GOLDEN.resolve(name + ".json");
    if (Boolean.getBoolean("pcikit.regenerate") || !Files.exists(golden)) {
      Files.writeString(golden, json, StandardCharsets.UTF_8);
    }
    assertThat(json)
        .as("%s (regenerate: -Dpcikit.regenerate=true)", golden)
        .isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
    assertThat(doc.propertyNames().iterator().next()).isEqualTo("schema");
    assertThat(doc.get("schema").asString()).isEqualTo(PlanJson.SCHEMA);
    assertThat(doc.get("devices").size()).isEqualTo(plan.devices().size());
    JsonNode fromYaml =
        YAMLMapper.builder().build().readTree(Documents.text(doc, DocumentFormat.YAML));
    // read back from both texts: a long written by the plan reads back as an int, like in JSON
    assertThat(fromYaml).isEqualTo(Documents.json().readTree(json));
  }
}
