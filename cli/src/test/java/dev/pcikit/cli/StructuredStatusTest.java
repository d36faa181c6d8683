package dev.pcikit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.cli.CliRun.Run;
import dev.pcikit.sim.DemoStateDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** Every data-printing status command takes -o json|yaml and names its schema. */
class StructuredStatusTest {
  @RegisterExtension final DemoStateDir state = new DemoStateDir();

  static JsonNode json(String... args) {
    Run r = CliRun.run(args);
    assertThat(r.code()).as(r.err()).isZero();
    return JsonMapper.builder().build().readTree(r.out());
  }

  @Test
  void nicFarmStatusesParse() {
    String host = "--host=demo:nic-farm";
    CliRun.run(host, "sriov", "enable", "0000:17:00.0", "--vfs", "2");
    JsonNode sriov = json(host, "sriov", "status", "-o", "json");
    assertThat(sriov.get("schema").asString()).isEqualTo("pcikit/sriov-status/v1");
    JsonNode pf = sriov.get("pfs").get(0);
    assertThat(pf.get("address").asString()).isEqualTo("0000:17:00.0");
    assertThat(pf.get("numVfs").asInt()).isEqualTo(2);
    assertThat(pf.get("vfs").get(0).get("driver").asString()).isEqualTo("vfio-pci");

    JsonNode vfio = json(host, "vfio", "status", "-o", "json");
    assertThat(vfio.get("schema").asString()).isEqualTo("pcikit/vfio-status/v1");
    assertThat(vfio.get("vfioDevices")).hasSize(2);
    assertThat(vfio.get("interrupted").isNull()).isTrue();

    JsonNode recover = json(host, "recover", "-o", "json");
    assertThat(recover.get("schema").asString()).isEqualTo("pcikit/recover/v1");
    assertThat(recover.get("recovered")).isEmpty();

    Run drivers = CliRun.run(host, "drivers", "0000:17:00.0", "-o", "yaml");
    assertThat(drivers.code()).as(drivers.err()).isZero();
    JsonNode d = YAMLMapper.builder().build().readTree(drivers.out());
    assertThat(d.get("schema").asString()).isEqualTo("pcikit/drivers/v1");
    // the simulated kernel's own modules, not this machine's
    assertThat(d.get("entries").get(0).get("hostModules").get(0).asString()).isEqualTo("ice");
    assertThat(CliRun.run(host, "drivers", "0000:17:00.0", "-o", "text").out())
        .contains("host modules:  ice");
  }
}
