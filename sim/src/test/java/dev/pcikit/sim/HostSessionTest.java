package dev.pcikit.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.sim.snapshot.Snapshots;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostSessionTest {
  @TempDir Path tmp;

  @Test
  void demoStateCarriesWritesToTheNextCommand() throws Exception {
    Map<String, String> env = Map.of("PCIKIT_STATE_DIR", tmp.toString());
    HostSession first = HostSession.open("demo:x86-workstation", env);
    assertThat(first.stateFile()).isEqualTo(tmp.resolve("demo/x86-workstation.snapshot"));
    first.sysfs().write("bus/pci/drivers/igb/unbind", "0000:03:00.0");
    first.sysfs().write("bus/pci/devices/0000:03:00.0/driver_override", "vfio-pci");
    first.sysfs().write("bus/pci/drivers_probe", "0000:03:00.0");
    first.save();
    HostSession second = HostSession.open("demo:x86-workstation", env);
    assertThat(second.sysfs().linkName("bus/pci/devices/0000:03:00.0/driver")).hasValue("vfio-pci");
    assertThat(
            second.kernel().devVfioExists(second.kernel().tree().group("0000:03:00.0").getAsInt()))
        .isTrue();
    assertThat(HostSession.resetDemo("x86-workstation", env)).isTrue();
    HostSession fresh = HostSession.open("demo:x86-workstation", env);
    assertThat(fresh.sysfs().linkName("bus/pci/devices/0000:03:00.0/driver")).hasValue("igb");
  }

  @Test
  void readOnlyUseDoesNotWriteState() throws Exception {
    Map<String, String> env = Map.of("XDG_STATE_HOME", tmp.toString());
    HostSession s = HostSession.open("demo:power9", env);
    s.sysfs().list("bus/pci/devices");
    s.save();
    assertThat(s.stateFile()).isEqualTo(tmp.resolve("pcikit/demo/power9.snapshot"));
    assertThat(Files.exists(s.stateFile())).isFalse();
  }

  @Test
  void aSnapshotFileIsSavedInPlace() throws Exception {
    Path f = tmp.resolve("host.snapshot");
    Snapshots.save(TestHosts.sample().boot(), f);
    HostSession s = HostSession.open(f.toString(), Map.of());
    s.sysfs().write("bus/pci/devices/0000:01:00.0/sriov_numvfs", "4");
    s.save();
    HostSession again = HostSession.open(f.toString(), Map.of());
    assertThat(again.kernel().tree().virtfns("0000:01:00.0")).hasSize(4);
    assertThat(Files.list(tmp).toList()).containsExactly(f);
  }

  @Test
  void unknownDemoOrMissingFile() {
    assertThatThrownBy(() -> HostSession.open("demo:vax", Map.of()))
        .isInstanceOfSatisfying(
            PcikitException.class, e -> assertThat(e.failure()).isEqualTo(Failure.NOT_FOUND))
        .hasMessageContaining("x86-workstation");
    assertThatThrownBy(() -> HostSession.open(tmp.resolve("nope").toString(), Map.of()))
        .isInstanceOfSatisfying(
            PcikitException.class, e -> assertThat(e.failure()).isEqualTo(Failure.NOT_FOUND));
  }
}
