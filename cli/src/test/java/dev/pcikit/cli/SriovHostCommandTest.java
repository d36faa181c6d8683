package dev.pcikit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.cli.CliRun.Run;
import dev.pcikit.sim.DemoStateDir;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The sriov commands on demo hosts (--host), across separate invocations. */
class SriovHostCommandTest {
  @RegisterExtension final DemoStateDir state = new DemoStateDir();

  @Test
  void detachedVfsOnS390xAreShownAndBindable() {
    String host = "--host=demo:s390x";
    Run status = CliRun.run(host, "sriov", "status");
    assertThat(status.code()).as(status.err()).isZero();
    assertThat(status.out())
        .contains("0000:00:00.0  VF (vfn 1)  PF not visible  driver mlx5_core  group 0")
        .contains("0002:00:00.0  VF (vfn 3)  PF not visible  driver vfio-pci")
        .doesNotContain("0003:00:00.0");
    Run bind = CliRun.run(host, "vfio", "bind", "0001:00:00.0");
    assertThat(bind.code()).as(bind.err()).isZero();
    assertThat(CliRun.run(host, "sriov", "status", "0001:00:00.0").out())
        .isEqualTo("0001:00:00.0  VF (vfn 2)  PF not visible  driver vfio-pci  group 1\n");
  }

  @Test
  void aVfioPoolOnTheNicFarmAndBack() {
    String host = "--host=demo:nic-farm";
    Run enable = CliRun.run(host, "sriov", "enable", "0000:27:00.0", "--vfs", "128");
    assertThat(enable.code()).as(enable.err()).isZero();
    assertThat(enable.out()).isEqualTo("0000:27:00.0: 128 VFs enabled, bound to VFIO\n");
    Run status = CliRun.run(host, "sriov", "status", "0000:27:00.0");
    assertThat(status.out())
        .startsWith("0000:27:00.0  128/128 VFs  autoprobe off  driver ice\n")
        .doesNotContain("  -  group");
    Run disable = CliRun.run(host, "sriov", "disable", "0000:27:00.0");
    assertThat(disable.code()).as(disable.err()).isZero();
    assertThat(CliRun.run(host, "sriov", "status", "0000:27:00.0").out())
        .isEqualTo("0000:27:00.0  0/128 VFs  autoprobe off  driver ice\n");
  }

  @Test
  void recoverUndoesAnEnableThatCrashedBeforeTheBind() throws Exception {
    String host = "--host=demo:nic-farm";
    // a crash right after '128 > sriov_numvfs': VFs there, unbound, autoprobe off, journal left
    Path dir = state.path().resolve("demo/nic-farm.snapshot.pcikit/var/lib/pcikit");
    java.nio.file.Files.createDirectories(dir);
    java.nio.file.Files.writeString(
        dir.resolve("sriov-journal"),
        "pcikit-sriov-journal 1\npf 0000:17:00.0\nfor vfio\ncount 128\nprior-numvfs 0\n"
            + "prior-autoprobe 1\n");
    Run recover = CliRun.run(host, "recover");
    assertThat(recover.code()).as(recover.err()).isZero();
    assertThat(recover.out())
        .isEqualTo(
            "undid an interrupted sriov enable of 0000:17:00.0: VFs disabled (128 -> 0),"
                + " autoprobe back to 1\n");
    assertThat(dir.resolve("sriov-journal")).doesNotExist();
    assertThat(CliRun.run(host, "sriov", "status", "0000:17:00.0").out())
        .isEqualTo("0000:17:00.0  0/128 VFs  autoprobe on  driver ice\n");
    assertThat(CliRun.run(host, "recover").out()).isEqualTo("nothing to recover\n");
  }

  @Test
  void thePreviousVersionsTwoJournalsAreRecoveredOnceInnermostFirst() throws Exception {
    String host = "--host=demo:nic-farm";
    // an older pcikit killed inside the bind of an 'sriov enable': its SR-IOV journal and its
    // version-1 binding journal (the device it was binding is gone)
    Path dir = state.path().resolve("demo/nic-farm.snapshot.pcikit/var/lib/pcikit");
    java.nio.file.Files.createDirectories(dir);
    java.nio.file.Files.writeString(
        dir.resolve("sriov-journal"),
        "pcikit-sriov-journal 1\npf 0000:17:00.0\nfor vfio\ncount 128\nprior-numvfs 0\n"
            + "prior-autoprobe 1\n");
    java.nio.file.Files.writeString(
        dir.resolve("journal"),
        "pcikit-journal 1\nop bind\npersist no\nphase run\nstep probe\n"
            + "device 0000:17:00.1 - - vfio-pci vfio-pci\n");
    Run status = CliRun.run(host, "vfio", "status");
    assertThat(status.out())
        .contains(
            "Interrupted operation: bind of 1 device(s), stopped at step probe (run 'pcikit"
                + " recover')\nInterrupted operation: sriov enable of 0000:17:00.0 (128 VFs for"
                + " vfio, the PF had 0)");
    Run dry = CliRun.run(host, "recover", "--dry-run");
    assertThat(dry.out())
        .startsWith("# undoes the interrupted bind (stopped at step probe)\n")
        .contains("# undoes the interrupted sriov enable of 0000:17:00.0");
    Run recover = CliRun.run(host, "recover");
    assertThat(recover.code()).as(recover.err()).isZero();
    assertThat(recover.out())
        .isEqualTo(
            "undid an interrupted bind (stopped at step probe): 0000:17:00.1 vanished (removed"
                + " from the bus): nothing to restore\n"
                + "undid an interrupted sriov enable of 0000:17:00.0: VFs disabled (128 -> 0),"
                + " autoprobe back to 1\n");
    assertThat(dir.resolve("sriov-journal")).doesNotExist();
    assertThat(dir.resolve("journal")).doesNotExist();
    assertThat(CliRun.run(host, "recover").out()).isEqualTo("nothing to recover\n");
  }

  @Test
  void enableDryRunPrintsTheWritesChangesNothingAndNamesTheVfsTheKernelMakes() {
    String host = "--host=demo:nic-farm";
    String before = CliRun.run(host, "sriov", "status", "0000:17:00.0").out();
    Run dry = CliRun.run(host, "sriov", "enable", "0000:17:00.0", "--vfs", "2", "--dry-run");
    assertThat(dry.code()).as(dry.err()).isZero();
    assertThat(dry.out())
        .startsWith(
            "echo 0 > /sys/bus/pci/devices/0000:17:00.0/sriov_numvfs\n"
                + "echo 0 > /sys/bus/pci/devices/0000:17:00.0/sriov_drivers_autoprobe\n"
                + "echo 2 > /sys/bus/pci/devices/0000:17:00.0/sriov_numvfs\n");
    assertThat(CliRun.run(host, "sriov", "status", "0000:17:00.0").out()).isEqualTo(before);
    assertThat(state.path().resolve("demo/nic-farm.snapshot")).doesNotExist();
    // the VFs the dry run named are the ones the kernel creates
    assertThat(CliRun.run(host, "sriov", "enable", "0000:17:00.0", "--vfs", "2").code()).isZero();
    for (String vf : java.util.List.of("0000:17:01.0", "0000:17:01.1")) {
      assertThat(dry.out())
          .contains("echo vfio-pci > /sys/bus/pci/devices/" + vf + "/driver_override");
      assertThat(CliRun.run(host, "sriov", "status", "0000:17:00.0").out())
          .contains(vf + "  vfio-pci");
    }
    Run off = CliRun.run(host, "sriov", "disable", "0000:17:00.0", "--dry-run");
    assertThat(off.out()).endsWith("echo 0 > /sys/bus/pci/devices/0000:17:00.0/sriov_numvfs\n");
    assertThat(CliRun.run(host, "sriov", "status", "0000:17:00.0").out()).contains("2/128 VFs");
  }
}
