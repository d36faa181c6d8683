package dev.pcikit.sim.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.sim.DeviceTree;
import dev.pcikit.sim.HostSysfs;
import dev.pcikit.sim.Lspci;
import dev.pcikit.sim.SimKernel;
import dev.pcikit.sim.snapshot.SysfsRecorder;
import dev.pcikit.sim.snapshot.TreeMaterializer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shipped demo snapshots are what the builders generate. Regenerate them with {@code mvn -pl
 * sim -am verify -Dtest=DemoHostsTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dpcikit.regenerate=true}.
 */
class DemoHostsTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"x86-workstation", "power9", "s390x", "nic-farm"})
  void shippedSnapshotIsWhatTheBuilderMakes(String name) throws Exception {
    String generated = SysfsRecorder.record(DemoHosts.build(name));
    if (Boolean.getBoolean("pcikit.regenerate")) {
      Path res =
          Path.of(System.getProperty("pcikit.projectDir"))
              .resolve("sim/src/main/resources/dev/pcikit/sim/demo/" + name + ".snapshot");
      Files.createDirectories(res.getParent());
      Files.writeString(res, generated);
      return;
    }
    assertThat(DemoHosts.text(name)).isEqualTo(generated);
  }

  @ParameterizedTest
  @ValueSource(strings = {"x86-workstation", "power9", "s390x", "nic-farm"})
  void lspciReadsMaterializedDemoHosts(String name) throws Exception {
    TreeMaterializer.materialize(DemoHosts.load(name), tmp);
    String out = Lspci.readsCleanly(tmp);
    assertThat(out.lines().filter(l -> !l.startsWith("\t")).count())
        .isEqualTo(new DeviceTree(DemoHosts.load(name)).bdfs().size());
  }

  @Test
  void workstationGroups() {
    DeviceTree t = new DeviceTree(DemoHosts.load("x86-workstation"));
    int gpu = t.group("0000:01:00.0").getAsInt();
    assertThat(t.groupDevices(gpu)).containsExactly("0000:00:01.0", "0000:01:00.0", "0000:01:00.1");
    int chipset = t.group("0000:00:1f.6").getAsInt();
    assertThat(t.groupDevices(chipset))
        .containsExactly("0000:00:1f.0", "0000:00:1f.3", "0000:00:1f.4", "0000:00:1f.6");
    assertThat(t.groupDevices(t.group("0000:02:00.0").getAsInt())).containsExactly("0000:02:00.0");
    assertThat(t.driver("0000:02:00.0")).hasValue("nvme");
  }

  @Test
  void power9HasPesAndVfs() throws Exception {
    HostSysfs fs = DemoHosts.load("power9");
    SimKernel k = new SimKernel(fs);
    assertThat(k.tree().virtfns("0001:01:00.0")).hasSize(4);
    assertThat(k.tree().driver("0001:01:00.2")).hasValue("mlx5_core");
    assertThat(fs.props("0001:01:00.2").get("pe")).isEqualTo("6");
    k.freezePe(5);
    assertThat(k.readBytes("bus/pci/devices/0030:01:00.0/config", 4)).containsOnly((byte) 0xff);
  }

  @Test
  void s390HasDetachedVfs() {
    DeviceTree t = new DeviceTree(DemoHosts.load("s390x"));
    assertThat(t.bdfs()).hasSize(5);
    assertThat(t.physfn("0000:00:00.0")).isEmpty();
    assertThat(t.attr("0000:00:00.0", "vfn")).hasValue("0x0001");
    assertThat(t.driver("0002:00:00.0")).hasValue("vfio-pci");
  }

  @Test
  void nicFarmHas512Vfs() {
    DeviceTree t = new DeviceTree(DemoHosts.load("nic-farm"));
    assertThat(t.bdfs()).hasSize(1 + 4 + 4 + 512);
    assertThat(t.virtfns("0000:47:00.0")).hasSize(128).allMatch(vf -> t.driver(vf).isEmpty());
  }
}
