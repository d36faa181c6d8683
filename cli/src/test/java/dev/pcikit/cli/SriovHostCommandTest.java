package dev.pcikit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.cli.VfioHostCommandTest.Run;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sriov commands on demo hosts (--host), across separate invocations. */
class SriovHostCommandTest {
  @TempDir Path state;

  @BeforeEach
  void stateDir() {
    System.setProperty("pcikit.stateDir", state.toString());
  }

  @AfterEach
  void clear() {
    System.clearProperty("pcikit.stateDir");
  }

  @Test
  void detachedVfsOnS390xAreShownAndBindable() {
    String host = "--host=demo:s390x";
    Run status = VfioHostCommandTest.run(host, "sriov", "status");
    assertThat(status.code()).as(status.err()).isZero();
    assertThat(status.out())
        .contains("0000:00:00.0  VF (vfn 1)  PF not visible  driver mlx5_core  group 0")
        .contains("0002:00:00.0  VF (vfn 3)  PF not visible  driver vfio-pci")
        .doesNotContain("0003:00:00.0");
    Run bind = VfioHostCommandTest.run(host, "vfio", "bind", "0001:00:00.0");
    assertThat(bind.code()).as(bind.err()).isZero();
    assertThat(VfioHostCommandTest.run(host, "sriov", "status", "0001:00:00.0").out())
        .isEqualTo("0001:00:00.0  VF (vfn 2)  PF not visible  driver vfio-pci  group 1\n");
  }

  @Test
  void aVfioPoolOnTheNicFarmAndBack() {
    String host = "--host=demo:nic-farm";
    Run enable = VfioHostCommandTest.run(host, "sriov", "enable", "0000:27:00.0", "--vfs", "128");
    assertThat(enable.code()).as(enable.err()).isZero();
    assertThat(enable.out()).isEqualTo("0000:27:00.0: 128 VFs enabled, bound to VFIO\n");
    Run status = VfioHostCommandTest.run(host, "sriov", "status", "0000:27:00.0");
    assertThat(status.out())
        .startsWith("0000:27:00.0  128/128 VFs  autoprobe off  driver ice\n")
        .doesNotContain("  -  group");
    Run disable = VfioHostCommandTest.run(host, "sriov", "disable", "0000:27:00.0");
    assertThat(disable.code()).as(disable.err()).isZero();
    assertThat(VfioHostCommandTest.run(host, "sriov", "status", "0000:27:00.0").out())
        .isEqualTo("0000:27:00.0  0/128 VFs  autoprobe off  driver ice\n");
  }
}
