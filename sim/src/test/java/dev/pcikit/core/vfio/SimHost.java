package dev.pcikit.core.vfio;

import dev.pcikit.core.config.PciePortType;
import dev.pcikit.core.sysfs.Sysfs;
import dev.pcikit.sim.HostBuilder;
import dev.pcikit.sim.SimHostUsage;
import dev.pcikit.sim.SimKernel;
import dev.pcikit.sim.config.ConfigSpaceBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A workstation-like host on the simulated kernel, with a proc/etc/var tree in a directory:
 *
 * <pre>
 * 0000:00:00.0 host bridge 8086:29c0 (group 0)
 * 0000:00:01.0 root port   8086:7ab8 pcieport (group 1)
 * 0000:01:00.0 GPU         10de:1b80 nouveau (group 1)
 * 0000:01:00.1 HDMI audio  10de:10f0 snd_hda_intel (group 1)
 * 0000:02:00.0 NVMe        8086:0953 nvme (group 2)     nvme0n1, partition nvme0n1p1
 * 0000:03:00.0 NIC port 0  8086:1533 igb (group 3)      eth0
 * 0000:03:00.1 NIC port 1  8086:1533 igb (group 4)      eth1
 * 0000:04:00.0 other GPU   1002:67df amdgpu (group 5)   boot_vga 1
 * 0000:05:00.0 SR-IOV PF   1b36:0010 nvme (group 6), 3 VFs 0000:05:00.1..3, autoprobe off
 * 0000:06:00.0 NIC         8086:10d3 e1000e (group 10)  eth2
 * </pre>
 *
 * vfio-pci is a module of the catalogue, not loaded at boot.
 */
class SimHost {
  /** Changes the standard host before it boots (a test's variation). */
  interface HostBuilderHook {
    void apply(HostBuilder b);
  }

  HostBuilderHook hook() {
    return b -> {};
  }

  final Path root;
  final SimKernel kernel;

  SimHost(Path root) {
    this(root, true);
  }

  SimHost(Path root, boolean writeProc) {
    this.root = root;
    HostBuilder b = build();
    hook().apply(b);
    this.kernel = b.boot();
    children();
    if (writeProc) {
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
  }

  static HostBuilder build() {
    HostBuilder h = new HostBuilder("x86_64").info("platform", "vfio-test");
    h.device(
            "0000:00:00.0",
            ConfigSpaceBuilder.endpoint(0x8086, 0x29c0).classCode(0x060000).conventional())
        .group(0);
    h.device(
            "0000:00:01.0",
            ConfigSpaceBuilder.bridge(0x8086, 0x7ab8)
                .buses(0, 1, 1)
                .express(PciePortType.ROOT_PORT))
        .driver("pcieport")
        .group(1);
    h.device("0000:01:00.0", ep(0x10de, 0x1b80, 0x030000).multifunction(true))
        .driver("nouveau")
        .group(1)
        .bootVga(false);
    h.device("0000:01:00.1", ep(0x10de, 0x10f0, 0x040300).multifunction(true))
        .driver("snd_hda_intel")
        .group(1);
    h.device("0000:02:00.0", ep(0x8086, 0x0953, 0x010802)).driver("nvme").group(2);
    h.device("0000:03:00.0", ep(0x8086, 0x1533, 0x020000).multifunction(true))
        .driver("igb")
        .group(3);
    h.device("0000:03:00.1", ep(0x8086, 0x1533, 0x020000).multifunction(true))
        .driver("igb")
        .group(4);
    h.device("0000:04:00.0", ep(0x1002, 0x67df, 0x030000)).driver("amdgpu").group(5).bootVga(true);
    h.device(
            "0000:05:00.0",
            ep(0x1b36, 0x0010, 0x010802)
                .sriov(ConfigSpaceBuilder.sriov(8, 0x0010).offset(1).stride(1)))
        .driver("nvme")
        .group(6)
        .autoprobe(false)
        .numVfs(3);
    h.device("0000:06:00.0", ep(0x8086, 0x10d3, 0x020000)).driver("e1000e").group(10);
    return h;
  }

  private static ConfigSpaceBuilder ep(int vendor, int device, int cls) {
    return ConfigSpaceBuilder.endpoint(vendor, device)
        .classCode(cls)
        .express(PciePortType.ENDPOINT)
        .flr(true);
  }

  /** Disks and interfaces below the functions, as the kernel shows them. */
  private void children() {
    var fs = kernel.host();
    String nvme = kernel.tree().dir("0000:02:00.0") + "/nvme/nvme0/nvme0n1";
    fs.putText(nvme + "/dev", "259:0\n");
    fs.putText(nvme + "/nvme0n1p1/partition", "1\n");
    fs.mkdirs(nvme + "/holders");
    fs.mkdirs(nvme + "/nvme0n1p1/holders");
    fs.putText(kernel.tree().dir("0000:03:00.0") + "/net/eth0/operstate", "up\n");
    fs.putText(kernel.tree().dir("0000:03:00.1") + "/net/eth1/operstate", "up\n");
    fs.putText(kernel.tree().dir("0000:06:00.0") + "/net/eth2/operstate", "down\n");
  }

  String dir(String bdf) {
    return kernel.tree().dir(bdf);
  }

  SimHost proc(String name, String content) throws IOException {
    Files.writeString(root.resolve("proc").resolve(name), content);
    return this;
  }

  int group(String bdf) {
    return kernel.tree().group(bdf).orElseThrow();
  }

  String driverOf(String bdf) {
    return kernel.tree().driver(bdf).orElse(null);
  }

  String overrideOf(String bdf) {
    return DeviceReader.override(kernel.attr("bus/pci/devices/" + bdf + "/driver_override"));
  }

  /** Every device's binding, encoded "driver override". */
  Map<String, String> bindings() {
    Map<String, String> out = new TreeMap<>();
    for (String bdf : kernel.tree().bdfs()) {
      out.put(bdf, new Binding(driverOf(bdf), overrideOf(bdf)).encode());
    }
    return out;
  }

  /** Host usage: proc files of the root, and the simulated kernel's open VFIO groups. */
  HostUsage usage() {
    return usage(kernel, root.resolve("proc"));
  }

  static HostUsage usage(SimKernel kernel, Path proc) {
    ProcHostUsage p = new ProcHostUsage(proc);
    return new HostUsage() {
      @Override
      public Set<String> mountedBlockDevices() throws IOException {
        return p.mountedBlockDevices();
      }

      @Override
      public Set<String> swapDevices() throws IOException {
        return p.swapDevices();
      }

      @Override
      public Set<String> defaultRouteInterfaces() throws IOException {
        return p.defaultRouteInterfaces();
      }

      @Override
      public Set<String> interfacesWithAddresses() throws IOException {
        return p.interfacesWithAddresses();
      }

      @Override
      public Map<Integer, List<String>> openVfioGroups() {
        return SimHostUsage.openVfioGroups(kernel);
      }
    };
  }

  VfioEnvironment env() {
    return env(kernel);
  }

  VfioEnvironment env(Sysfs sysfs) {
    return VfioEnvironment.underRoot(
            sysfs, root, usage(), kernel::modprobe, VfioDriverChooser.GENERIC)
        .withLockTimeout(Duration.ofSeconds(5));
  }

  VfioEngine engine() {
    return new VfioEngine(env());
  }
}
