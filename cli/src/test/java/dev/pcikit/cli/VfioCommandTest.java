package dev.pcikit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.cli.CliRun.Run;
import dev.pcikit.core.sysfs.MemorySysfs;
import dev.pcikit.core.vfio.HostLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The vfio commands end to end on a --root tree. A plain directory has no kernel semantics, so
 * these tests cover what needs none: dry-run lines, refusals, status, recover, the lock, usage.
 */
class VfioCommandTest {
  @TempDir Path root;
  @TempDir Path elsewhere;

  Run run(String... args) {
    return CliRun.runIn(root, args);
  }

  private static void device(
      MemorySysfs s, String bdf, String ids, String cls, int group, String drv) {
    String d = "devices/pci0000:00/" + bdf;
    s.putText(d + "/vendor", "0x" + ids.substring(0, 4) + "\n");
    s.putText(d + "/device", "0x" + ids.substring(5) + "\n");
    s.putText(d + "/class", cls + "\n");
    s.putText(d + "/driver_override", "(null)\n");
    s.putLink("bus/pci/devices/" + bdf, "../../../" + d);
    s.putLink(d + "/iommu_group", "../../../kernel/iommu_groups/" + group);
    s.putLink("kernel/iommu_groups/" + group + "/devices/" + bdf, "../../../../" + d);
    if (drv != null) {
      s.putText("bus/pci/drivers/" + drv + "/unbind", "");
      s.putLink(d + "/driver", "../../../bus/pci/drivers/" + drv);
    }
  }

  @BeforeEach
  void tree() throws IOException {
    MemorySysfs s = new MemorySysfs();
    s.putText("bus/pci/drivers_probe", "");
    device(s, "0000:01:00.0", "10de:1b80", "0x030000", 1, "nouveau");
    device(s, "0000:01:00.1", "10de:10f0", "0x040300", 1, "snd_hda_intel");
    device(s, "0000:03:00.0", "8086:1521", "0x020000", 3, "igb");
    s.putText("devices/pci0000:00/0000:03:00.0/net/eth0/operstate", "up\n");
    s.putText("devices/pci0000:00/0000:03:00.0/sriov_totalvfs", "8\n");
    s.putText("devices/pci0000:00/0000:03:00.0/sriov_numvfs", "0\n");
    s.putText("devices/pci0000:00/0000:03:00.0/sriov_drivers_autoprobe", "1\n");
    s.materialize(root.resolve("sys"));
    Files.createDirectories(root.resolve("proc/net"));
  }

  @Test
  void dryRunPrintsShellLinesWithTheRootPath() {
    Run r = run("vfio", "bind", "--dry-run", "03:00.0");
    assertThat(r.code()).as(r.err()).isZero();
    String p = root + "/sys/bus/pci";
    assertThat(r.out())
        .isEqualTo(
            "modprobe vfio_pci\n"
                + "echo vfio-pci > "
                + p
                + "/devices/0000:03:00.0/driver_override\n"
                + "echo 0000:03:00.0 > "
                + p
                + "/devices/0000:03:00.0/driver/unbind\n"
                + "echo 0000:03:00.0 > "
                + p
                + "/drivers_probe\n");
  }

  @Test
  void dryRunLinesAreValidShellThatWritesTheTree() throws Exception {
    Files.createDirectories(root.resolve("sys/bus/pci/drivers/vfio-pci")); // no modprobe line
    Run r = run("vfio", "bind", "--dry-run", "0000:03:00.0");
    // every line must write below the temp root before anything is run
    assertThat(r.out().lines()).isNotEmpty().allMatch(l -> l.contains(" > " + root + "/sys/"));
    Process p = new ProcessBuilder("sh", "-eu").redirectErrorStream(true).start();
    p.getOutputStream().write(r.out().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String shOut = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(shOut).isZero();
    Path dev = root.resolve("sys/devices/pci0000:00/0000:03:00.0");
    assertThat(Files.readString(dev.resolve("driver_override"))).isEqualTo("vfio-pci\n");
    assertThat(Files.readString(root.resolve("sys/bus/pci/drivers_probe")))
        .isEqualTo("0000:03:00.0\n");
  }

  @Test
  void groupRefusalExitsFiveAndNamesThePeer() {
    Run r = run("vfio", "bind", "0000:01:00.0");
    assertThat(r.code()).isEqualTo(5);
    assertThat(r.err())
        .startsWith("pcikit: refused: IOMMU group 1 is shared with 0000:01:00.1 (snd_hda_intel)");
    Run g = run("vfio", "bind", "--group", "--dry-run", "-d", "10de:1b80");
    assertThat(g.out()).contains("0000:01:00.1/driver_override");
  }

  @Test
  void defaultRouteRefusalAndForce() throws IOException {
    Files.writeString(
        root.resolve("proc/net/route"),
        "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
            + "eth0\t00000000\t0101A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n");
    Run r = run("vfio", "bind", "8086:1521");
    assertThat(r.code()).isEqualTo(5);
    assertThat(r.err()).contains("eth0 carrying the default route").contains("--force overrides");
    Run f = run("vfio", "bind", "--force", "--dry-run", "8086:1521");
    assertThat(f.code()).isZero();
    assertThat(f.err()).contains("pcikit: warning (--force)");
  }

  @Test
  void statusShowsDriverctlAndPendingJournal() throws IOException {
    Files.createDirectories(root.resolve("etc/driverctl.d"));
    Files.writeString(root.resolve("etc/driverctl.d/pci-0000:03:00.0"), "vfio-pci\n");
    Files.createDirectories(root.resolve("var/lib/pcikit"));
    Files.writeString(
        root.resolve("var/lib/pcikit/journal"),
        "pcikit-journal 1\nop bind\npersist no\nphase run\nstep unbind\n"
            + "device 0000:03:00.0 igb - vfio-pci vfio-pci\n");
    Run r = run("vfio", "status");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("driverctl overrides")
        .contains("0000:03:00.0  vfio-pci")
        .contains("Interrupted operation: bind of 1 device(s), stopped at step unbind");
  }

  @Test
  void sriovStatusListsPfs() {
    Run r = run("sriov", "status");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("0000:03:00.0  0/8 VFs  autoprobe on  driver igb\n");
    assertThat(run("sriov", "enable", "0000:03:00.0", "--vfs", "9").err())
        .contains("supports 1..8 VFs");
  }

  @Test
  void recoverWithNothingPending() {
    Run r = run("recover");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("nothing to recover\n");
  }

  @Test
  void aHeldLockExitsSeven() throws IOException {
    try (HostLock held = HostLock.acquire(root.resolve("run/pcikit"), Duration.ofSeconds(1))) {
      Run r = run("vfio", "release", "--lock-timeout", "0", "03:00.0");
      assertThat(r.code()).isEqualTo(7);
      assertThat(r.err()).contains("another pcikit (pid " + ProcessHandle.current().pid() + ")");
    }
  }

  @Test
  void unknownDeviceExitsThreeAndNoDeviceIsAUsageError() {
    assertThat(run("vfio", "bind", "0000:09:00.0").code()).isEqualTo(3);
    assertThat(run("vfio", "bind").code()).isEqualTo(2);
    assertThat(run("vfio", "bind", "zz:zz").code()).isEqualTo(2);
  }

  @Test
  void onlyVfioDriversAreAcceptedForABind() throws IOException {
    for (String drv : new String[] {"nvme", "igb", "pci-stub", "", "../../x", "vfio"}) {
      Run r = run("vfio", "bind", "--dry-run", "--driver", drv, "03:00.0");
      assertThat(r.code()).as(drv + ": " + r.err()).isEqualTo(2);
      assertThat(r.err()).startsWith("pcikit: --driver: '" + drv + "' is not a VFIO driver");
      assertThat(r.err().lines().count()).isEqualTo(1);
      assertThat(r.out()).isEmpty();
    }
    // the in-tree variant drivers and vfio-pci, in either spelling
    assertThat(run("vfio", "bind", "--dry-run", "--driver", "vfio_pci", "03:00.0").out())
        .contains("echo vfio-pci > ");
    assertThat(run("vfio", "bind", "--dry-run", "--driver", "mlx5-vfio-pci", "03:00.0").out())
        .contains("echo mlx5_vfio_pci > ");
    // a module with a vfio_pci: alias in the root's modules.alias is a VFIO variant driver
    Run unknown = run("vfio", "bind", "--dry-run", "--driver", "acme_vfio_pci", "03:00.0");
    assertThat(unknown.code()).isEqualTo(2);
    Files.createDirectories(root.resolve("proc/sys/kernel"));
    Files.writeString(root.resolve("proc/sys/kernel/osrelease"), "6.1.0-test\n");
    Path mods = Files.createDirectories(root.resolve("lib/modules/6.1.0-test"));
    Files.writeString(
        mods.resolve("modules.alias"),
        "alias vfio_pci:v00008086d00001521sv*sd*bc*sc*i* acme_vfio_pci\n"
            + "alias pci:v00008086d00001521sv*sd*bc*sc*i* igb\n");
    Run known = run("vfio", "bind", "--dry-run", "--driver", "acme-vfio-pci", "03:00.0");
    assertThat(known.code()).as(known.err()).isZero();
    assertThat(known.out()).contains("echo acme_vfio_pci > ");
    assertThat(run("vfio", "bind", "--dry-run", "--driver", "igb", "03:00.0").code()).isEqualTo(2);
  }

  @Test
  void aPersistedBindingToAHostDriverIsRefusedAndNothingIsBound() throws IOException {
    Path conf = Files.createDirectories(root.resolve("etc/pcikit")).resolve("vfio-bindings.conf");
    Files.writeString(conf, "0000:01:00.0 10de:1b80 vfio-pci\n0000:03:00.0 8086:1521 nvme\n");
    Path override = root.resolve("sys/devices/pci0000:00/0000:01:00.0/driver_override");
    String before = Files.readString(override);
    Run r = run("vfio", "apply-persisted");
    assertThat(r.code()).as(r.err()).isEqualTo(4);
    assertThat(r.err())
        .startsWith("pcikit: " + conf + ": 0000:03:00.0: 'nvme' is not a VFIO driver")
        .contains("nothing was bound");
    assertThat(r.err().lines().count()).isEqualTo(1);
    assertThat(Files.readString(override)).isEqualTo(before);
  }

  @Test
  void aBindUnderRootNeverWritesThroughALinkOutOfTheRoot() throws IOException {
    Path outside =
        Files.writeString(root.resolveSibling(root.getFileName() + "-outside"), "keep\n");
    Path override = root.resolve("sys/devices/pci0000:00/0000:03:00.0/driver_override");
    Files.delete(override);
    Files.createSymbolicLink(override, outside);
    Files.createDirectories(root.resolve("sys/bus/pci/drivers/vfio-pci"));
    Run r = run("vfio", "bind", "--force", "03:00.0");
    assertThat(r.code()).as(r.err()).isEqualTo(6);
    assertThat(r.err()).contains("outside the sysfs root");
    assertThat(Files.readString(outside)).isEqualTo("keep\n");
  }
}
