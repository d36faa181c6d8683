package dev.pcikit.core.vfio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** proc parsing on real files and symlinks in a temp root, and the journal's bad-input handling. */
class ProcHostUsageTest {
  @TempDir Path root;

  @Test
  void findsProcessesHoldingVfioGroups() throws IOException {
    Path fd = Files.createDirectories(root.resolve("proc/4242/fd"));
    Files.writeString(root.resolve("proc/4242/comm"), "qemu-system-x86\n");
    Files.createSymbolicLink(fd.resolve("17"), Path.of("/dev/vfio/12"));
    Files.createSymbolicLink(fd.resolve("18"), Path.of("/dev/vfio/vfio")); // the container
    Files.createSymbolicLink(fd.resolve("0"), Path.of("/dev/null"));
    Files.createDirectories(root.resolve("proc/self"));
    ProcHostUsage u = new ProcHostUsage(root.resolve("proc"));
    assertThat(u.openVfioGroups()).isEqualTo(Map.of(12, List.of("pid 4242 (qemu-system-x86)")));
  }

  @Test
  void parsesMountsSwapsRoutesAndAddresses() throws IOException {
    Path proc = Files.createDirectories(root.resolve("proc/net")).getParent();
    Files.writeString(proc.resolve("mounts"), "/dev/sda2 / ext4 rw 0 0\ntmpfs /run tmpfs rw 0 0\n");
    Files.writeString(
        proc.resolve("swaps"),
        "Filename\tType\tSize\tUsed\tPriority\n/dev/dm-1 partition 1000 0 -2\n");
    Files.writeString(
        proc.resolve("net/route"),
        "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
            + "enp1s0\t00000000\t0101A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n"
            + "enp2s0\t0002A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n");
    Files.writeString(
        proc.resolve("net/if_inet6"),
        "00000000000000000000000000000001 01 80 10 80       lo\n"
            + "fe80000000000000020c29fffe000001 03 40 20 80   enp3s0\n");
    ProcHostUsage u = new ProcHostUsage(root.resolve("proc"));
    assertThat(u.mountedBlockDevices()).containsExactly("sda2");
    assertThat(u.swapDevices()).containsExactly("dm-1");
    assertThat(u.defaultRouteInterfaces()).containsExactly("enp1s0");
    assertThat(u.interfacesWithAddresses()).containsExactlyInAnyOrder("enp1s0", "enp2s0");
  }

  @Test
  void aMissingProcMeansNothingInUse() throws IOException {
    ProcHostUsage u = new ProcHostUsage(root.resolve("nope"));
    assertThat(u.mountedBlockDevices()).isEmpty();
    assertThat(u.openVfioGroups()).isEmpty();
  }

  @Test
  void aCorruptJournalIsAnErrorNamingFileAndLine() throws IOException {
    Journal j = new Journal(root);
    Files.writeString(j.file(), "pcikit-journal 1\nop bind\nphase run\ndevice 0000:01:00.0 x\n");
    assertThatThrownBy(j::read)
        .isInstanceOfSatisfying(
            dev.pcikit.core.error.PcikitException.class,
            e -> assertThat(e.failure()).isEqualTo(dev.pcikit.core.error.Failure.BAD_INPUT))
        .hasMessageContaining(j.file() + " is corrupt (line 4: malformed")
        .hasMessageContaining("mv " + j.file() + " " + j.file() + ".corrupt");
    Files.writeString(j.file(), "garbage\n");
    assertThatThrownBy(j::read).hasMessageContaining("not a pcikit journal");
  }
}
