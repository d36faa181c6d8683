package dev.pcikit.sim.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.core.sysfs.DirectorySysfs;
import dev.pcikit.sim.DeviceTree;
import dev.pcikit.sim.HostSysfs;
import dev.pcikit.sim.Lspci;
import dev.pcikit.sim.SimKernel;
import dev.pcikit.sim.TestHosts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotRoundTripTest {
  @TempDir Path tmp;

  /** The records a sysfs tree holds: no comments, no simulation-only records. */
  static List<String> treeRecords(String snapshot) {
    return snapshot
        .lines()
        .filter(l -> !l.startsWith("#") && !l.startsWith("=====BEGIN"))
        .filter(l -> !(l.length() > 1 && l.charAt(1) == ' ' && "HKYN".indexOf(l.charAt(0)) >= 0))
        .collect(Collectors.toList());
  }

  @Test
  void theRealFixtureImports() throws Exception {
    HostSysfs fs = Fixtures.x86Lab();
    DeviceTree t = new DeviceTree(fs);
    assertThat(t.bdfs()).hasSize(21);
    assertThat(t.driver("0000:01:00.0")).hasValue("nvme");
    assertThat(t.driver("0000:01:00.1")).hasValue("vfio-pci");
    assertThat(t.physfn("0000:01:00.2")).hasValue("0000:01:00.0");
    assertThat(t.virtfns("0000:01:00.0")).containsExactly("0000:01:00.1", "0000:01:00.2");
    assertThat(t.group("0000:03:00.0")).hasValue(3);
    assertThat(t.groupDevices(11)).containsExactly("0000:04:00.0", "0000:05:01.0", "0000:05:02.0");
    assertThat(fs.attr("module/vfio_pci/parameters/enable_sriov")).hasValue("N");
    assertThat(fs.readBytes("bus/pci/devices/0000:01:00.0/config", 4096)).hasSize(4096);
    assertThat(fs.readBytes("bus/pci/devices/0000:05:01.0/config", 4096)).hasSize(256);
    assertThat(fs.special("bus/pci/devices/0000:01:00.0/power/autosuspend_delay_ms"))
        .hasValueSatisfying(s -> assertThat(s.error()).isEqualTo("Input/output error"));
  }

  @Test
  void fixtureRecordsBackToItsOwnRecords() throws Exception {
    String again = SysfsRecorder.record(Fixtures.x86Lab());
    // the lab's console capture repeats some P lines: a module parameter is recorded once
    java.util.Set<String> seen = new java.util.HashSet<>();
    List<String> original =
        treeRecords(Fixtures.text(Fixtures.X86_LAB)).stream()
            .filter(l -> !l.startsWith("P ") || seen.add(l))
            .collect(Collectors.toList());
    assertThat(treeRecords(again)).containsExactlyElementsOf(original);
  }

  @Test
  void recordMaterializeRecordIsTheSameSnapshot() throws Exception {
    SimKernel k = TestHosts.sample().device("0000:01:00.0").numVfs(3).done().boot();
    String first = SysfsRecorder.record(k);
    HostSysfs loaded = SnapshotReader.read(first, "first");
    assertThat(SysfsRecorder.record(loaded)).isEqualTo(first);
    TreeMaterializer.materialize(loaded, tmp);
    String fromTree = SysfsRecorder.record(new DirectorySysfs(tmp));
    assertThat(treeRecords(fromTree)).containsExactlyElementsOf(treeRecords(first));
    Lspci.readsCleanly(tmp);
  }

  @Test
  void fixtureMaterializesForLspciAndRecordsBack() throws Exception {
    HostSysfs fs = Fixtures.x86Lab();
    TreeMaterializer.materialize(fs, tmp);
    String out = Lspci.readsCleanly(tmp);
    assertThat(out)
        .contains(
            "0000:01:00.1 Non-Volatile memory controller [0108]: Red Hat, Inc. QEMU NVM Express Controller [1b36:0010]");
    assertThat(treeRecords(SysfsRecorder.record(new DirectorySysfs(tmp))))
        .containsExactlyElementsOf(treeRecords(SysfsRecorder.record(fs)));
  }

  @Test
  void shellRecorderWritesWhatTheJavaRecorderWrites() throws Exception {
    Path tree = tmp.resolve("tree");
    TreeMaterializer.materialize(Fixtures.x86Lab(), tree);
    Path script = Path.of(System.getProperty("pcikit.projectDir", "."), "scripts/pcikit-record.sh");
    Process p =
        new ProcessBuilder("sh", script.toString(), tree.toString())
            .redirectErrorStream(true)
            .start();
    String shell = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(shell).isZero();
    String java = SysfsRecorder.record(new DirectorySysfs(tree));
    assertThat(treeRecords(shell)).containsExactlyElementsOf(treeRecords(java));
    assertThat(shell).startsWith("=====BEGIN PCI SYSFS SNAPSHOT v2=====\n");
    Files.writeString(tmp.resolve("shell.snapshot"), shell);
    assertThat(new DeviceTree(Snapshots.load(tmp.resolve("shell.snapshot"))).bdfs()).hasSize(21);
  }

  @Test
  void shellRecorderRunsOnBusyboxAlone() throws Exception {
    Path busybox = Path.of("/usr/bin/busybox");
    if (!Files.isExecutable(busybox)) {
      busybox = Path.of("/bin/busybox");
    }
    if (!Files.isExecutable(busybox)) {
      if (System.getenv("CI") != null) {
        org.junit.jupiter.api.Assertions.fail("busybox missing; CI installs busybox-static");
      }
      org.junit.jupiter.api.Assumptions.assumeTrue(false, "busybox not installed");
    }
    Path bin = tmp.resolve("bin");
    Files.createDirectories(bin);
    for (String applet : List.of("sh", "ls", "base64", "tr", "grep", "sort", "cat", "uname")) {
      Files.createSymbolicLink(bin.resolve(applet), busybox);
    }
    Path tree = tmp.resolve("tree");
    TreeMaterializer.materialize(Fixtures.x86Lab(), tree);
    Path script = Path.of(System.getProperty("pcikit.projectDir", "."), "scripts/pcikit-record.sh");
    ProcessBuilder pb =
        new ProcessBuilder(bin.resolve("sh").toString(), script.toString(), tree.toString())
            .redirectErrorStream(true);
    pb.environment().put("PATH", bin.toString());
    Process p = pb.start();
    String shell = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(shell).isZero();
    assertThat(treeRecords(shell))
        .containsExactlyElementsOf(treeRecords(SysfsRecorder.record(new DirectorySysfs(tree))));
  }
}
