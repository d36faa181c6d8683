package dev.pcikit.cli.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.cli.CliRun.Run;
import dev.pcikit.core.sysfs.Sysfs;
import dev.pcikit.sim.demo.DemoHosts;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * `pcikit export kubevirt` against KubeVirt's own CRD schema (the KubeVirt CR's openAPIV3Schema,
 * test resource with its source in schemas/README.md) and field by field against the code that
 * reads it, each rule's source named.
 */
class KubeVirtExportTest {
  static SchemaValidator crd;

  @BeforeAll
  static void load() throws Exception {
    crd =
        new SchemaValidator(
            ExportRun.resourceJson("/schemas/kubevirt-permittedhostdevices.crd-schema.yaml"));
  }

  static List<String> hosts() {
    return ExportRun.HOSTS;
  }

  static JsonNode patch(String host, String... extra) {
    String[] args = new String[3 + extra.length];
    args[0] = "export";
    args[1] = "kubevirt";
    args[2] = "-o=json";
    System.arraycopy(extra, 0, args, 3, extra.length);
    Run r = ExportRun.run(host, args);
    assertThat(r.code()).as(r.err()).isZero();
    return ExportRun.json(r.out());
  }

  @ParameterizedTest
  @MethodSource("hosts")
  void acceptedByTheKubeVirtCrdSchemaAsYamlAndJson(String host) {
    JsonNode json = patch(host);
    assertThat(crd.validate(json, crd.at("#/openAPIV3Schema"))).isEmpty();
    Run yaml = ExportRun.run(host, "export", "kubevirt");
    JsonNode fromYaml = ExportRun.YAML.readTree(yaml.out());
    assertThat(fromYaml).isEqualTo(json);
    JsonNode external = patch(host, "--external");
    assertThat(crd.validate(external, crd.at("#/openAPIV3Schema"))).isEmpty();
  }

  /**
   * Every assignable function is matched by a selector the way virt-handler matches: the selector
   * lower-cased (device_controller.go) equals the lower-cased PCI_ID of the device's uevent
   * (device-manager/common.go GetDevicePCIID); the selector parses as ParsePCIVendorSelector
   * requires (pkg/util/hardware: two four-digit hex IDs); resourceName is an extended resource name
   * (a qualified name, prefix/name) and no two entries share a selector or a resource.
   */
  @ParameterizedTest
  @MethodSource("hosts")
  void fieldByFieldAsKubeVirtReadsIt(String host) throws Exception {
    JsonNode entries = patch(host).at("/spec/configuration/permittedHostDevices/pciHostDevices");
    Set<String> selectors = new HashSet<>();
    Set<String> resources = new HashSet<>();
    Pattern hex4x2 = Pattern.compile("[0-9a-f]{4}:[0-9a-f]{4}");
    Pattern qualified =
        Pattern.compile(
            "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/"
                + "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    for (JsonNode e : entries) {
      String sel = e.get("pciVendorSelector").asString();
      assertThat(sel).matches(hex4x2).isEqualTo(sel.toLowerCase(Locale.ROOT));
      assertThat(selectors.add(sel)).as("selector %s twice", sel).isTrue();
      String res = e.get("resourceName").asString();
      assertThat(res).matches(qualified);
      assertThat(res.substring(res.indexOf('/') + 1).length()).isLessThanOrEqualTo(63);
      assertThat(resources.add(res)).isTrue();
      assertThat(e.has("externalResourceProvider")).isFalse();
    }
    Sysfs sys = DemoHosts.load(host);
    JsonNode slices = ExportRun.json(ExportRun.run(host, "export", "dra", "-o", "json").out());
    int matched = 0;
    for (JsonNode s : slices.get("items")) {
      for (JsonNode d : s.at("/spec/devices")) {
        String bdf = d.at("/attributes/resource.kubernetes.io~1pciBusID/string").asString();
        String pciId =
            sys.readText("bus/pci/devices/" + bdf + "/uevent")
                .lines()
                .filter(l -> l.startsWith("PCI_ID"))
                .map(l -> l.substring(l.indexOf('=') + 1).strip().toLowerCase(Locale.ROOT))
                .findFirst()
                .orElseThrow(() -> new AssertionError(bdf + ": no PCI_ID in uevent"));
        assertThat(selectors).as(bdf).contains(pciId);
        matched++;
      }
    }
    assertThat(matched).as("assignable functions").isPositive();
  }

  @Test
  void externalProviderAndNotesOnDevicesOffVfioPci() {
    JsonNode external = patch("power9", "--external");
    for (JsonNode e : external.at("/spec/configuration/permittedHostDevices/pciHostDevices")) {
      assertThat(e.get("externalResourceProvider").asBoolean()).isTrue();
    }
    Run r = ExportRun.run("power9", "export", "kubevirt");
    assertThat(r.err())
        .contains("pcikit: note: 10de:1db1: 1 of 1 function(s) not bound to vfio-pci")
        .contains("pcikit: left out 0001:01:00.0: not assignable");
    assertThat(ExportRun.run("s390x", "export", "kubevirt").err())
        .contains("15b3:101e: 2 of 3 function(s) not bound to vfio-pci");
  }

  @Test
  void theSchemaRejectsWhatKubeVirtWouldReject() {
    JsonNode good = patch("power9");
    ObjectNode entry =
        (ObjectNode) good.at("/spec/configuration/permittedHostDevices/pciHostDevices/0");
    ObjectNode noName = (ObjectNode) good.deepCopy();
    ((ObjectNode) noName.at("/spec/configuration/permittedHostDevices/pciHostDevices/0"))
        .remove("resourceName");
    assertThat(crd.validate(noName, crd.at("#/openAPIV3Schema")))
        .anyMatch(e -> e.contains("resourceName"));
    ObjectNode typo = (ObjectNode) good.deepCopy();
    ((ObjectNode) typo.at("/spec/configuration/permittedHostDevices"))
        .set("pciHostDevice", entry.deepCopy());
    assertThat(crd.validate(typo, crd.at("#/openAPIV3Schema")))
        .anyMatch(e -> e.contains("unknown field"));
    ObjectNode notBool = (ObjectNode) good.deepCopy();
    ((ObjectNode) notBool.at("/spec/configuration/permittedHostDevices/pciHostDevices/0"))
        .put("externalResourceProvider", "yes");
    assertThat(crd.validate(notBool, crd.at("#/openAPIV3Schema")))
        .anyMatch(e -> e.contains("boolean"));
  }
}
