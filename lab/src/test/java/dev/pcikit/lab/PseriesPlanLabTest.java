package dev.pcikit.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pseries lab booted with the topology {@code pcikit plan -o qemu} emits for a demo POWER host
 * (lab/topology/pseries-plan-guest.yaml; -Dpcikit.lab.planHost, default demo:power9), host
 * functions replaced by emulated stand-ins of the same kind (PlanStandIns). The guest must show
 * what the plan predicts: each function at its planned PHB and address, its
 * ibm,pci-config-space-type and config size, the spare PHBs present and empty. Skipped while the
 * build has no {@code plan} command or no such demo host.
 */
class PseriesPlanLabTest {
  private static LabBoot.Result boot;
  private static List<PlanStandIns.Prediction> predictions;
  private static PseriesTopology topology;

  @BeforeAll
  static void planAndBoot() throws IOException, InterruptedException {
    LabEnvironment.requireLab(
        "qemu-system-ppc64", "busybox", "cpio", "zstd", "depmod", "apt-get", "dpkg");
    String host = System.getProperty("pcikit.lab.planHost", "demo:power9");
    Path spec = LabEnvironment.labDir().resolve("topology/pseries-plan-guest.yaml");
    // -Dpcikit.lab.planFrom=DIR: a saved plan (DIR/pseries-plan.json + pseries-plan.qemu.txt)
    // instead of running pcikit plan, e.g. the planner's golden plan in src/test/resources/plan
    String from = System.getProperty("pcikit.lab.planFrom", "");
    String json =
        from.isEmpty()
            ? pcikitPlan(host, spec, "json")
            : Files.readString(Path.of(from, "pseries-plan.json"));
    String qemu =
        from.isEmpty()
            ? pcikitPlan(host, spec, "qemu")
            : Files.readString(Path.of(from, "pseries-plan.qemu.txt"));
    predictions = PlanStandIns.predictions(json);
    Path out = LabEnvironment.labDir().resolve("target/lab/pseries-plan.args");
    Files.createDirectories(out.getParent());
    Files.write(out, PlanStandIns.topology(qemu, json), StandardCharsets.UTF_8);
    topology = PseriesTopology.read(out);
    boot =
        LabBoot.run(
            "pseries-lab.sh", "pseries-plan", 600, Map.of("LAB_TOPOLOGY", out.toString()), "all");
  }

  private static String pcikitPlan(String host, Path spec, String format)
      throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                "java",
                "-jar",
                LabEnvironment.pcikitJar().toString(),
                "plan",
                "--host",
                host,
                spec.toString(),
                "-o",
                format)
            .redirectErrorStream(false)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    int rc = p.waitFor();
    if (rc != 0) {
      if (err.contains("Unmatched argument") || err.contains("Unknown") || err.contains(host)) {
        abort("pcikit plan from " + host + " is not available in this build: " + err.strip());
      }
      fail("pcikit plan -o " + format + " failed (" + rc + "): " + err);
    }
    return out;
  }

  private static String ctx() {
    return LabBoot.context(boot.console(), "phbs", boot.runLog());
  }

  private static Map<String, String[]> guestDevices() {
    LabConsole console = boot.console();
    if (!console.done()) {
      fail("the pseries guest did not finish (script exit " + boot.exitCode() + ")\n" + ctx());
    }
    LabScenario s = console.scenario("phbs").orElseThrow(() -> new AssertionError(ctx()));
    assertThat(s.rc()).as(ctx()).isZero();
    Map<String, String[]> devices = new LinkedHashMap<>();
    for (String line : s.file("devices").orElseThrow().lines()) {
      String[] f = line.trim().split("\\s+");
      devices.put(f[0], f);
    }
    return devices;
  }

  @Test
  void everyPlannedFunctionIsWhereAndWhatThePlanPredicts() {
    Map<String, String[]> devices = guestDevices();
    assertThat(devices.keySet())
        .as(ctx())
        .containsExactlyInAnyOrderElementsOf(
            predictions.stream().map(PlanStandIns.Prediction::guestBdf).toList());
    for (PlanStandIns.Prediction p : predictions) {
      String[] f = devices.get(p.guestBdf());
      String type =
          p.configSpaceType() == null ? "absent" : String.format("%08x", p.configSpaceType());
      assertThat(List.of(f[5], f[7]))
          .as(ctx() + "plan prediction for " + p + " (config size, ibm,pci-config-space-type)")
          .containsExactly(Integer.toString(p.configSize()), type);
    }
  }

  @Test
  void sparePhbsArePresentAndEmpty() {
    Map<String, String[]> devices = guestDevices();
    List<String> buses =
        boot.console().scenario("phbs").orElseThrow().file("buses").orElseThrow().lines();
    for (PseriesTopology.Phb phb : topology.phbs()) {
      assertThat(buses).as(ctx()).contains(String.format("%04x:00", phb.index()));
      boolean spare = topology.devices().stream().noneMatch(d -> d.phb().equals(phb));
      if (spare) {
        assertThat(devices.keySet())
            .as(ctx() + "spare " + phb)
            .noneMatch(b -> b.startsWith(String.format("%04x:", phb.index())));
      }
    }
  }
}
