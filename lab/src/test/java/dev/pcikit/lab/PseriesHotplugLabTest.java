package dev.pcikit.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hotplug into a spare PHB of the pseries lab (topology/pseries.args: PHB 2 is empty): while the
 * guest waits, the test sends QMP device_add of an e1000e on pci.2.0 slot 1; the guest runs drmgr
 * for the DRC (0x40000000 | 2 << 16 | 0 << 8 | slot << 3) and must then show the device at
 * 0002:00:01.0 with a 4096-byte config and ibm,pci-config-space-type=1.
 */
class PseriesHotplugLabTest {
  static final String DEVICE_ADD =
      "{\"execute\":\"device_add\",\"arguments\":{\"driver\":\"e1000e\",\"id\":\"hp0\","
          + "\"bus\":\"pci.2.0\",\"addr\":\"0x1\"}}";
  static final String DRC = String.format("0x%08x", 0x40000000 | 2 << 16 | 0 << 8 | 1 << 3);

  private static LabConsole console;
  private static Path runLog;
  private static List<String> qmp = new ArrayList<>();

  @BeforeAll
  static void bootAndHotplug() throws Exception {
    LabEnvironment.requireLab(
        "qemu-system-ppc64", "busybox", "cpio", "zstd", "depmod", "apt-get", "dpkg");
    Path logs = LabEnvironment.logsDir();
    Files.createDirectories(logs);
    Path log = logs.resolve("pseries-hotplug.log");
    Files.deleteIfExists(log);
    runLog = logs.resolve("pseries-hotplug.run.txt");
    Path sockDir = Files.createTempDirectory("pcikit-qmp");
    Path sock = sockDir.resolve("qmp"); // short: unix socket paths are limited to 107 bytes
    ProcessBuilder pb =
        new ProcessBuilder(
                LabEnvironment.labDir().resolve("scripts/pseries-lab.sh").toString(),
                "run",
                "phbs,hotplug",
                "pseries-hotplug")
            .redirectErrorStream(true);
    pb.redirectOutput(runLog.toFile());
    pb.environment().put("LAB_APPEND", "lab.hotplug=" + DRC);
    pb.environment().put("LAB_QMP", sock.toString());
    pb.environment().put("LAB_TIMEOUT", "600");
    Process p = pb.start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(600);
      while (!(Files.exists(log) && Files.readString(log).contains("LAB-READY-FOR-HOTPLUG"))) {
        if (!p.isAlive() || System.nanoTime() > deadline) {
          break;
        }
        Thread.sleep(200);
      }
      if (p.isAlive() && Files.exists(sock)) {
        try (Qmp q = Qmp.connect(sock)) {
          q.execute(DEVICE_ADD);
          qmp.addAll(q.transcript());
        }
      }
      if (!p.waitFor(600, TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      }
    } finally {
      Files.write(logs.resolve("pseries-hotplug.qmp.txt"), qmp);
      Files.deleteIfExists(sock);
      Files.deleteIfExists(sockDir);
    }
    console = Files.exists(log) ? LabConsole.read(log) : LabConsole.of(log, List.of());
  }

  @Test
  void deviceAddPlusDrmgrBringsTheDeviceUpOnTheSparePhb() throws IOException {
    String ctx = LabBoot.context(console, "hotplug", runLog) + "QMP: " + qmp + "\n";
    if (!console.done()) {
      fail("the pseries guest did not finish\n" + ctx);
    }
    assertThat(qmp).as(ctx).anyMatch(l -> l.startsWith("<- {\"return\": {}"));
    LabScenario s =
        console.scenario("hotplug").orElseThrow(() -> new AssertionError("not run\n" + ctx));
    assertThat(s.rc()).as(ctx).isZero();
    assertThat(s.value("rtas_event"))
        .as(ctx)
        .hasValueSatisfying(v -> assertThat(v).contains("Hotplug"));
    // before: the spare PHB's bus exists and is empty (phbs scenario); after: the device
    LabScenario before = console.scenario("phbs").orElseThrow();
    assertThat(before.file("buses").orElseThrow().lines()).as(ctx).contains("0002:00");
    assertThat(before.file("devices").orElseThrow().lines())
        .as(ctx)
        .noneMatch(l -> l.startsWith("0002:"));
    assertThat(s.file("devices").orElseThrow().lines())
        .as(ctx)
        .anySatisfy(
            l ->
                assertThat(l.split("\\s+"))
                    .containsExactly(
                        "0002:00:01.0",
                        "0x8086",
                        "0x10d3",
                        "0x020000",
                        "e1000e",
                        "4096",
                        "/pci@800000020000002/ethernet@1",
                        "00000001"));
  }
}
