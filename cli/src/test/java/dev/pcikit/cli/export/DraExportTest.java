package dev.pcikit.cli.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.cli.CliRun.Run;
import dev.pcikit.core.sysfs.Sysfs;
import dev.pcikit.sim.demo.DemoHosts;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * `pcikit export dra` against the real thing: every ResourceSlice is validated against the official
 * resource.k8s.io/v1 OpenAPI schema (test resource, source in schemas/README.md) and against the
 * limits the API server's validation enforces, which the schema states only in prose.
 */
class DraExportTest {
  static SchemaValidator schema;
  static JsonNode sliceSchema;

  @BeforeAll
  static void load() throws Exception {
    schema =
        new SchemaValidator(
            ExportRun.resourceJson("/schemas/k8s-resource.k8s.io-v1-resourceslice.openapi.json"));
    sliceSchema = schema.at("#/components/schemas/io.k8s.api.resource.v1.ResourceSlice");
  }

  static List<String> hosts() {
    return ExportRun.HOSTS;
  }

  static List<JsonNode> slices(String host) {
    Run r = ExportRun.run(host, "export", "dra", "-o", "json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode list = ExportRun.json(r.out());
    assertThat(list.get("apiVersion").asString()).isEqualTo("v1");
    assertThat(list.get("kind").asString()).isEqualTo("List");
    List<JsonNode> out = new ArrayList<>();
    list.get("items").forEach(out::add);
    return out;
  }

  @ParameterizedTest
  @MethodSource("hosts")
  void everySliceIsAcceptedByTheOpenApiSchemaAndTheLimits(String host) {
    List<JsonNode> slices = slices(host);
    assertThat(slices).isNotEmpty();
    for (JsonNode s : slices) {
      assertThat(schema.validate(s, sliceSchema)).as(host).isEmpty();
    }
    assertThat(Limits.violations(slices)).as(host).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("hosts")
  void yamlIsTheSameSlicesAsJson(String host) throws Exception {
    Run r = ExportRun.run(host, "export", "dra");
    assertThat(r.code()).isZero();
    List<JsonNode> fromYaml = new ArrayList<>();
    try (var p = ExportRun.YAML.createParser(r.out())) {
      ExportRun.YAML.readValues(p, JsonNode.class).forEachRemaining(fromYaml::add);
    }
    List<JsonNode> fromJson = slices(host);
    assertThat(fromYaml).hasSameSizeAs(fromJson);
    for (int i = 0; i < fromJson.size(); i++) {
      JsonNode y = fromYaml.get(i);
      JsonNode j = fromJson.get(i);
      assertThat(y.equals(j))
          .as(
              "slice %d: yaml %d devices, json %d",
              i, y.at("/spec/devices").size(), j.at("/spec/devices").size())
          .isTrue();
    }
  }

  /** The acceptance case: all 512 VFs of the NIC farm, in slices within the API's limits. */
  @Test
  void nicFarmPublishesAll512VfsInFourSlicesOfOnePool() {
    List<JsonNode> slices = slices("nic-farm");
    assertThat(slices).hasSize(4);
    Set<String> busIds = new HashSet<>();
    for (JsonNode s : slices) {
      JsonNode pool = s.at("/spec/pool");
      assertThat(pool.get("name").asString()).isEqualTo("nic-farm");
      assertThat(pool.get("resourceSliceCount").asLong()).isEqualTo(4);
      assertThat(pool.get("generation").asLong()).isEqualTo(1);
      assertThat(s.at("/spec/devices").size()).isLessThanOrEqualTo(128);
      for (JsonNode d : s.at("/spec/devices")) {
        busIds.add(d.at("/attributes/resource.kubernetes.io~1pciBusID/string").asString());
        assertThat(d.at("/attributes/pcikit.dev~1sriovRole/string").asString()).isEqualTo("vf");
      }
    }
    assertThat(busIds).hasSize(512);
    Run r = ExportRun.run("nic-farm", "export", "dra");
    // the four PFs with VFs enabled cannot be assigned: said on stderr and in the document
    assertThat(r.err()).contains("pcikit: left out 0000:17:00.0: not assignable");
    assertThat(r.out()).contains("# left out 0000:47:00.0: not assignable");
  }

  /**
   * Standard attributes as k8s.io/dynamic-resource-allocation/deviceattribute defines them:
   * pciBusID the extended BDF; pcieRoot the first element of the device's sysfs path after devices/
   * (resolvePCIeRoot follows /sys/bus/pci/devices/BDF to devices/pciDDDD:BB/...), checked here on
   * the materialized demo tree; numaNode never negative (numa.go: no attribute for -1).
   */
  @ParameterizedTest
  @MethodSource("hosts")
  void standardAttributesFollowDeviceattribute(String host) throws Exception {
    Sysfs sys = DemoHosts.load(host);
    Pattern bdf = Pattern.compile("[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]");
    for (JsonNode s : slices(host)) {
      for (JsonNode d : s.at("/spec/devices")) {
        JsonNode a = d.get("attributes");
        String id = a.at("/resource.kubernetes.io~1pciBusID/string").asString();
        assertThat(id).matches(bdf);
        String link = "bus/pci/devices/" + id;
        String target = sys.readLink(link).orElseThrow();
        String afterDevices = target.substring(target.indexOf("devices/") + "devices/".length());
        String root = afterDevices.substring(0, afterDevices.indexOf('/'));
        assertThat(root).startsWith("pci");
        assertThat(a.at("/resource.kubernetes.io~1pcieRoot/string").asString())
            .as(id)
            .isEqualTo(root);
        JsonNode numa = a.get("resource.kubernetes.io/numaNode");
        String node = sys.readText(link + "/numa_node").strip();
        if (node.equals("-1")) {
          assertThat(numa).as(id).isNull();
        } else {
          assertThat(numa.get("int").asLong()).as(id).isEqualTo(Long.parseLong(node));
        }
      }
    }
  }

  @Test
  void theValidatorAndTheLimitsRejectBrokenSlices() {
    JsonNode good = slices("nic-farm").get(0);
    assertThat(schema.validate(good, sliceSchema)).isEmpty();

    ObjectNode noDriver = (ObjectNode) good.deepCopy();
    ((ObjectNode) noDriver.get("spec")).remove("driver");
    assertThat(schema.validate(noDriver, sliceSchema)).anyMatch(e -> e.contains("'driver'"));

    ObjectNode unknown = (ObjectNode) good.deepCopy();
    ((ObjectNode) unknown.get("spec")).put("deviceCount", 3);
    assertThat(schema.validate(unknown, sliceSchema)).anyMatch(e -> e.contains("unknown field"));

    ObjectNode badType = (ObjectNode) good.deepCopy();
    ((ObjectNode) badType.at("/spec/pool")).put("generation", "1");
    assertThat(schema.validate(badType, sliceSchema)).anyMatch(e -> e.contains("generation"));

    ObjectNode badAttr = (ObjectNode) good.deepCopy();
    ((ObjectNode) badAttr.at("/spec/devices/0/attributes/pcikit.dev~1iommuGroup"))
        .put("integer", 3);
    assertThat(schema.validate(badAttr, sliceSchema)).anyMatch(e -> e.contains("integer"));

    ObjectNode tooMany = (ObjectNode) good.deepCopy();
    ArrayNode devices = (ArrayNode) tooMany.at("/spec/devices");
    devices.add(devices.get(0).deepCopy());
    assertThat(Limits.violations(List.of(tooMany)))
        .anyMatch(e -> e.contains("more than 128"))
        .anyMatch(e -> e.contains("not unique"));

    ObjectNode longValue = (ObjectNode) good.deepCopy();
    ((ObjectNode) longValue.at("/spec/devices/0/attributes/pcikit.dev~1physfn"))
        .put("string", "x".repeat(65));
    assertThat(Limits.violations(List.of(longValue))).anyMatch(e -> e.contains("64"));

    ObjectNode badName = (ObjectNode) good.deepCopy();
    ((ObjectNode) badName.at("/spec/devices/0")).put("name", "PCI_0000");
    assertThat(Limits.violations(List.of(badName))).anyMatch(e -> e.contains("DNS label"));

    ObjectNode attrs = (ObjectNode) good.deepCopy().at("/spec/devices/0/attributes");
    for (int i = 0; i < 32; i++) {
      attrs.putObject("pcikit.dev/extra" + i).put("int", i);
    }
    ObjectNode crowded = (ObjectNode) good.deepCopy();
    ((ObjectNode) crowded.at("/spec/devices/0")).set("attributes", attrs);
    assertThat(Limits.violations(List.of(crowded))).anyMatch(e -> e.contains("32"));

    assertThat(Limits.violations(List.of(good, good)))
        .anyMatch(e -> e.contains("resourceSliceCount"));
  }

  /** A host whose IOMMU is off: an empty pool (withdrawing older devices), exit code 10. */
  @Test
  void aBlockedHostPublishesAnEmptyPoolAndExits10(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path root) throws Exception {
    dev.pcikit.sim.HostBuilder h = new dev.pcikit.sim.HostBuilder("x86_64").iommu("");
    h.device(
            "0000:00:02.0",
            dev.pcikit.sim.config.ConfigSpaceBuilder.endpoint(0x8086, 0x10d3).classCode(0x020000))
        .noGroup();
    h.build().materialize(root.resolve("sys"));
    Run r = dev.pcikit.cli.CliRun.runIn(root, "export", "dra", "--node", "n1", "-o", "json");
    assertThat(r.code()).isEqualTo(10);
    JsonNode slice = ExportRun.json(r.out()).at("/items/0");
    assertThat(slice.at("/spec/devices").size()).isZero();
    assertThat(slice.at("/spec/pool/resourceSliceCount").asLong()).isEqualTo(1);
    assertThat(schema.validate(slice, sliceSchema)).isEmpty();
    assertThat(r.err()).contains("pcikit: left out host: passthrough is blocked");
  }

  @Test
  void badOptionsAreOneLineUsageErrors() {
    Run r = ExportRun.run("power9", "export", "dra", "--driver", "Not_A_Domain");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().strip())
        .startsWith("pcikit: DRA driver name 'Not_A_Domain'")
        .doesNotContain("\n");
    assertThat(r.out()).isEmpty();
    Run n = ExportRun.run("power9", "export", "dra", "--node", "bad node");
    assertThat(n.code()).isEqualTo(2);
    assertThat(n.err()).contains("--node");
  }

  /**
   * The limits of kubernetes/kubernetes pkg/apis/resource/types.go as validation.go enforces them
   * (validateResourceSlice, validateDevice, validateQualifiedName, validateDeviceAttribute).
   */
  static final class Limits {
    static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    static final Pattern SUBDOMAIN =
        Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    static final Pattern C_ID = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    static List<String> violations(List<JsonNode> slices) {
      List<String> v = new ArrayList<>();
      Set<String> names = new HashSet<>();
      Set<Long> generations = new HashSet<>();
      for (JsonNode s : slices) {
        String slice = s.at("/metadata/name").asString();
        if (!subdomain(slice, 253)) {
          v.add(slice + ": metadata.name is not a DNS subdomain");
        }
        JsonNode spec = s.get("spec");
        if (!subdomain(spec.get("driver").asString(), 63)) {
          v.add(slice + ": driver is not a DNS subdomain of at most 63 characters");
        }
        int nodeFields = 0;
        for (String f : List.of("nodeName", "nodeSelector", "allNodes", "perDeviceNodeSelection")) {
          nodeFields += spec.has(f) ? 1 : 0;
        }
        if (nodeFields != 1) {
          v.add(
              slice + ": exactly one of nodeName, nodeSelector, allNodes, perDeviceNodeSelection");
        }
        JsonNode pool = spec.get("pool");
        String poolName = pool.get("name").asString();
        if (poolName.length() > 253
            || !List.of(poolName.split("/", -1)).stream().allMatch(p -> subdomain(p, 253))) {
          v.add(slice + ": pool name is not DNS subdomains separated by '/'");
        }
        generations.add(pool.get("generation").asLong());
        if (pool.get("resourceSliceCount").asLong() != slices.size()) {
          v.add(slice + ": resourceSliceCount is not the number of slices in the pool");
        }
        JsonNode devices = spec.get("devices");
        if (devices.size() > 128) { // ResourceSliceMaxDevices
          v.add(slice + ": more than 128 devices");
        }
        for (JsonNode d : devices) {
          String name = d.get("name").asString();
          if (!(name.length() <= 63 && LABEL.matcher(name).matches())) {
            v.add(name + ": device name is not a DNS label");
          }
          if (!names.add(name)) {
            v.add(name + ": device name not unique in the pool");
          }
          int n = d.path("attributes").size() + d.path("capacity").size();
          if (n > 32) { // ResourceSliceMaxAttributesAndCapacitiesPerDevice
            v.add(name + ": more than 32 attributes and capacities");
          }
          for (Map.Entry<String, JsonNode> a : d.path("attributes").properties()) {
            v.addAll(attribute(name, a.getKey(), a.getValue()));
          }
        }
      }
      if (generations.size() > 1) {
        v.add("slices of one pool with different generations " + generations);
      }
      return v;
    }

    static List<String> attribute(String device, String key, JsonNode value) {
      List<String> v = new ArrayList<>();
      String[] parts = key.split("/", -1);
      String id = parts[parts.length - 1];
      if (parts.length > 2
          || (parts.length == 2 && !subdomain(parts[0], 63)) // DeviceMaxDomainLength
          || id.length() > 32 // DeviceMaxIDLength
          || !C_ID.matcher(id).matches()) {
        v.add(device + ": attribute name '" + key + "' is not [domain/]C identifier");
      }
      if (value.size() != 1) {
        v.add(device + ": attribute " + key + " has not exactly one value");
      }
      JsonNode str = value.has("string") ? value.get("string") : value.get("version");
      if (str != null && str.asString().length() > 64) { // DeviceAttributeMaxValueLength
        v.add(device + ": attribute " + key + " longer than 64");
      }
      return v;
    }

    static boolean subdomain(String s, int max) {
      return !s.isEmpty() && s.length() <= max && SUBDOMAIN.matcher(s).matches();
    }
  }
}
