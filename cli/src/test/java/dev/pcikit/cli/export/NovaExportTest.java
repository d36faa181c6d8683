package dev.pcikit.cli.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.pcikit.cli.CliRun;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * `pcikit export nova` fed to Nova's own parsers from Debian's python3-nova (installed by
 * scripts/install-deps.sh test), through nova/validate_nova_export.py: oslo.config reads the [pci]
 * lines, nova.pci.whitelist and nova.pci.request parse device_spec and alias, and
 * nova.compute.provider_config loads provider.yaml. device_spec must match exactly the devices
 * `pcikit check` finds assignable.
 */
class NovaExportTest {
  @TempDir Path tmp;

  static List<String> hosts() {
    return ExportRun.HOSTS;
  }

  /** Debian's interpreter: python3-nova installs into its dist-packages, not any other python. */
  static Path python() throws Exception {
    Path py = Path.of("/usr/bin/python3");
    boolean ok = false;
    if (Files.isExecutable(py)) {
      Process p = new ProcessBuilder(py.toString(), "-c", "import nova.pci.devspec").start();
      ok = p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0;
    }
    if (!ok) {
      if (System.getenv("CI") != null) {
        fail("python3-nova is not installed (scripts/install-deps.sh test installs it)");
      }
      Assumptions.assumeTrue(false, "python3-nova not installed; skipping");
    }
    return py;
  }

  record Run(int exit, String out) {}

  Run validate(String conf, String provider, List<Map<String, Object>> devices) throws Exception {
    Path script = tmp.resolve("validate_nova_export.py");
    try (InputStream in = getClass().getResourceAsStream("/nova/validate_nova_export.py")) {
      Files.write(script, in.readAllBytes());
    }
    Path c = Files.writeString(tmp.resolve("nova.conf"), conf);
    Path p = Files.writeString(tmp.resolve("provider.yaml"), provider);
    Path d = tmp.resolve("devices.json");
    ExportRun.JSON.writeValue(d.toFile(), devices);
    Process proc =
        new ProcessBuilder(
                python().toString(), script.toString(), c.toString(), p.toString(), d.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!proc.waitFor(300, TimeUnit.SECONDS)) {
      proc.destroyForcibly();
      fail("nova validation did not finish");
    }
    return new Run(proc.exitValue(), out);
  }

  /** Every endpoint of the host with what `pcikit check -o json` says of it. */
  static List<Map<String, Object>> devices(String host) throws IOException {
    CliRun.Run check = ExportRun.run(host, "check", "-o", "json");
    JsonNode report = ExportRun.json(check.out());
    CliRun.Run list = ExportRun.run(host, "list", "-o", "json");
    assertThat(check.code()).as(check.err()).isIn(0, 10);
    assertThat(list.code()).as(list.err()).isZero();
    JsonNode inv = ExportRun.json(list.out());
    Map<String, JsonNode> byBdf = new LinkedHashMap<>();
    for (JsonNode d : inv.get("devices")) {
      byBdf.put(d.get("bdf").asString(), d);
    }
    boolean hostReady = report.get("hostReady").asBoolean();
    List<Map<String, Object>> out = new ArrayList<>();
    for (JsonNode r : report.get("devices")) {
      JsonNode d = byBdf.get(r.get("bdf").asString());
      assertThat(d)
          .as("%s: %s in check but not in list (list has %d)", host, r.get("bdf"), byBdf.size())
          .isNotNull();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("address", r.get("bdf").asString());
      m.put("vendor_id", d.get("vendor").asString());
      m.put("product_id", d.get("device").asString());
      JsonNode pf = d.get("physfn");
      m.put("parent_addr", pf.isString() ? pf.asString() : null);
      boolean isVf = d.get("sriovRole").asString("").equals("VF");
      boolean isPf = d.get("sriovRole").asString("").equals("PF");
      m.put("is_pf", isPf);
      m.put("dev_type", isVf ? "type-VF" : isPf ? "type-PF" : "type-PCI");
      m.put("assignable", hostReady && r.get("assignable").asBoolean());
      out.add(m);
    }
    return out;
  }

  @ParameterizedTest
  @MethodSource("hosts")
  void novaAcceptsTheExportOfEveryDemoHost(String host) throws Exception {
    CliRun.Run conf = ExportRun.run(host, "export", "nova");
    CliRun.Run provider = ExportRun.run(host, "export", "nova", "-o", "provider");
    assertThat(conf.code()).isZero();
    assertThat(provider.code()).isZero();
    List<Map<String, Object>> devices = devices(host);
    assertThat(devices).anyMatch(d -> (Boolean) d.get("assignable"));
    Run r = validate(conf.out(), provider.out(), devices);
    assertThat(r.exit()).as(r.out()).isZero();
    JsonNode report = ExportRun.json(r.out().lines().reduce((a, b) -> b).orElseThrow());
    assertThat(report.get("device_spec").asInt()).isPositive();
    assertThat(report.at("/providers/$COMPUTE_NODE").toString())
        .contains("CUSTOM_PCIKIT_PASSTHROUGH_READY");
  }

  /** The validation can fail: Nova refuses a bad entry, and a too-wide spec is caught. */
  @Test
  void novaRefusesWhatIsWrong() throws Exception {
    List<Map<String, Object>> devices = devices("power9");
    String provider = ExportRun.run("power9", "export", "nova", "-o", "provider").out();
    Run badAlias =
        validate(
            "[pci]\nalias = {\"name\": \"x\", \"vendor_id\": \"10de\", \"product_id\": \"1db1\","
                + " \"device_type\": \"type-GPU\"}\n",
            provider,
            devices);
    assertThat(badAlias.exit()).isEqualTo(1);
    assertThat(badAlias.out()).contains("nova refused");
    // a spec without product_id also matches the PF that cannot be assigned
    Run tooWide =
        validate(
            "[pci]\ndevice_spec = {\"vendor_id\": \"15b3\", \"address\": \"0001:01:*.*\"}\n",
            provider,
            devices);
    assertThat(tooWide.exit()).isEqualTo(1);
    assertThat(tooWide.out()).contains("0001:01:00.0: device_spec match True, assignable False");
    Run badTrait =
        validate(
            ExportRun.run("power9", "export", "nova").out(),
            "meta:\n  schema_version: '1.0'\nproviders:\n  - identification: {uuid: $COMPUTE_NODE}\n"
                + "    traits:\n      additional: [HW_CPU_X86_AVX]\n",
            devices);
    assertThat(badTrait.exit()).isEqualTo(1);
    assertThat(badTrait.out()).contains("only custom traits");
  }
}
