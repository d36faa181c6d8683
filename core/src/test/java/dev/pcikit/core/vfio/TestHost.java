package dev.pcikit.core.vfio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A small workstation-like host on the {@link FakeKernel} with a proc/etc/var tree in a temp dir:
 *
 * <pre>
 * 0000:00:00.0 host bridge 8086:29c0 (group 0)
 * 0000:00:01.0 root port   8086:29c9 pcieport (group 1)
 * 0000:01:00.0 GPU         10de:1b80 nouveau (group 1)     boot_vga 0
 * 0000:01:00.1 HDMI audio  10de:10f0 snd_hda_intel (group 1)
 * 0000:02:00.0 NVMe        8086:0953 nvme (group 2)        nvme0n1, partition nvme0n1p1
 * 0000:03:00.0 NIC port 0  8086:1521 igb (group 3)         eth0
 * 0000:03:00.1 NIC port 1  8086:1521 igb (group 4)         eth1
 * 0000:04:00.0 other GPU   1002:67df amdgpu (group 5)      boot_vga 1
 * 0000:05:00.0 SR-IOV PF   1b36:0010 nvme (group 6), VFs 0000:05:00.1..3 (groups 7..9), no driver
 * 0000:06:00.0 NIC         8086:10d3 e1000e (group 10)
 * </pre>
 *
 * vfio-pci is a loadable module, not loaded.
 */
final class TestHost {
  final Path root;
  final FakeKernel kernel = new FakeKernel();

  TestHost(Path root) {
    this(root, true);
  }

  TestHost(Path root, boolean writeProc) {
    this.root = root;
    kernel
        .driver("pcieport", true)
        .driver("nouveau", true, "10de:1b80")
        .driver("snd_hda_intel", true, "10de:10f0")
        .driver("nvme", true, "8086:0953", "1b36:0010")
        .driver("igb", true, "8086:1521")
        .driver("amdgpu", true, "1002:67df")
        .driver("e1000e", true, "8086:10d3")
        .driver("vfio-pci", false)
        .device("0000:00:00.0", "8086:29c0", 0x060000, 0, null)
        .device("0000:00:01.0", "8086:29c9", 0x060400, 1, "pcieport")
        .device("0000:01:00.0", "10de:1b80", 0x030000, 1, "nouveau")
        .device("0000:01:00.1", "10de:10f0", 0x040300, 1, "snd_hda_intel")
        .device("0000:02:00.0", "8086:0953", 0x010802, 2, "nvme")
        .device("0000:03:00.0", "8086:1521", 0x020000, 3, "igb")
        .device("0000:03:00.1", "8086:1521", 0x020000, 4, "igb")
        .device("0000:04:00.0", "1002:67df", 0x030000, 5, "amdgpu")
        .device("0000:05:00.0", "1b36:0010", 0x010802, 6, "nvme")
        .device("0000:05:00.1", "1b36:0010", 0x010802, 7, null)
        .device("0000:05:00.2", "1b36:0010", 0x010802, 8, null)
        .device("0000:05:00.3", "1b36:0010", 0x010802, 9, null)
        .device("0000:06:00.0", "8086:10d3", 0x020000, 10, "e1000e")
        .vfs("0000:05:00.0", "0000:05:00.1", "0000:05:00.2", "0000:05:00.3")
        .attr("0000:01:00.0", "boot_vga", "0\n")
        .attr("0000:04:00.0", "boot_vga", "1\n");
    String nvme = FakeKernel.real("0000:02:00.0") + "/nvme/nvme0/nvme0n1";
    kernel.putText(nvme + "/dev", "259:0\n");
    kernel.putText(nvme + "/nvme0n1p1/partition", "1\n");
    kernel.mkdirs(nvme + "/holders");
    kernel.mkdirs(nvme + "/nvme0n1p1/holders");
    kernel.putText(FakeKernel.real("0000:03:00.0") + "/net/eth0/operstate", "up\n");
    kernel.putText(FakeKernel.real("0000:03:00.1") + "/net/eth1/operstate", "up\n");
    kernel.putText(FakeKernel.real("0000:06:00.0") + "/net/eth2/operstate", "down\n");
    if (!writeProc) {
      return;
    }
    try {
      Files.createDirectories(root.resolve("proc/net"));
      Files.createDirectories(root.resolve("etc"));
      proc("mounts", "proc /proc proc rw 0 0\n");
      proc("swaps", "Filename Type Size Used Priority\n");
      proc(
          "net/route",
          "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n");
      proc("net/if_inet6", "");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  TestHost proc(String name, String content) throws IOException {
    Files.writeString(root.resolve("proc").resolve(name), content);
    return this;
  }

  /** A VM holding /dev/vfio/N open: the fake kernel answers EBUSY, and proc shows the fd. */
  TestHost openGroup(int group) throws IOException {
    kernel.openGroup(group);
    Path fd = root.resolve("proc/4242/fd");
    Files.createDirectories(fd);
    Files.writeString(root.resolve("proc/4242/comm"), "qemu-system-x86\n");
    Files.createSymbolicLink(fd.resolve(String.valueOf(10 + group)), Path.of("/dev/vfio/" + group));
    return this;
  }

  VfioEnvironment env() {
    return VfioEnvironment.underRoot(
            kernel,
            root,
            new ProcHostUsage(root.resolve("proc")),
            kernel,
            VfioDriverChooser.GENERIC)
        .withLockTimeout(Duration.ofSeconds(5));
  }

  VfioEngine engine() {
    return new VfioEngine(env());
  }
}
