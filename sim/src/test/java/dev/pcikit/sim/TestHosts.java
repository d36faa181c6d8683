package dev.pcikit.sim;

import dev.pcikit.core.config.PciePortType;
import dev.pcikit.sim.config.ConfigSpaceBuilder;

/** Small hosts for tests, built with the public builder. */
public final class TestHosts {
  private TestHosts() {}

  static ConfigSpaceBuilder rootPort(int secondary, int subordinate, boolean acs) {
    ConfigSpaceBuilder b =
        ConfigSpaceBuilder.bridge(0x8086, 0x7ab8)
            .buses(0, secondary, subordinate)
            .express(PciePortType.ROOT_PORT)
            .slot(true);
    return acs ? b.acs(0x5f, 0x1d) : b;
  }

  static ConfigSpaceBuilder nvmePf(int total, int offset, int stride) {
    return ConfigSpaceBuilder.endpoint(0x144d, 0xa824)
        .classCode(0x010802)
        .subsystem(0x144d, 0xa801)
        .express(PciePortType.ENDPOINT)
        .flr(true)
        .msix(64, true)
        .sriov(ConfigSpaceBuilder.sriov(total, 0xa824).offset(offset).stride(stride))
        .ari(0);
  }

  static ConfigSpaceBuilder nic(int device, boolean multifunction) {
    return ConfigSpaceBuilder.endpoint(0x8086, device)
        .classCode(0x020000)
        .subsystem(0x8086, 0x0000)
        .multifunction(multifunction)
        .express(PciePortType.ENDPOINT)
        .flr(true);
  }

  /**
   * An x86 host with: host bridge; root port with ACS and an NVMe PF (SR-IOV, 64 VFs, first VF
   * offset 250 so that the 7th VF spills onto bus 02); a root port without ACS whose multifunction
   * NIC pair shares a group; a switch (upstream + 2 downstream ports with ACS); a PCIe-to-PCI
   * bridge with two conventional devices (one group with the bridge); a device with optional
   * attributes missing.
   */
  public static HostBuilder sample() {
    HostBuilder h = new HostBuilder("x86_64").info("platform", "test");
    h.device(
        "0000:00:00.0",
        ConfigSpaceBuilder.endpoint(0x8086, 0x29c0).classCode(0x060000).conventional());
    h.device("0000:00:01.0", rootPort(1, 2, true)).driver("pcieport");
    h.device("0000:01:00.0", nvmePf(64, 250, 1)).driver("nvme").numa(0).resetMethod("flr bus");
    h.device("0000:00:02.0", rootPort(3, 3, false)).driver("pcieport");
    h.device("0000:03:00.0", nic(0x10d3, true)).driver("e1000e").resetMethod("pm bus");
    h.device("0000:03:00.1", nic(0x10d3, true)).driver("e1000e").resetMethod("pm");
    h.device("0000:00:03.0", rootPort(4, 6, true)).driver("pcieport");
    h.device(
            "0000:04:00.0",
            ConfigSpaceBuilder.bridge(0x10b5, 0x8747)
                .buses(4, 5, 6)
                .express(PciePortType.UPSTREAM_PORT))
        .driver("pcieport");
    h.device(
            "0000:05:00.0",
            ConfigSpaceBuilder.bridge(0x10b5, 0x8747)
                .buses(5, 6, 6)
                .express(PciePortType.DOWNSTREAM_PORT)
                .acs(0x5f, 0x1d))
        .driver("pcieport");
    h.device("0000:06:00.0", nic(0x1572, false)).driver("i40e");
    h.device("0000:00:04.0", rootPort(7, 8, true)).driver("pcieport");
    h.device(
        "0000:07:00.0",
        ConfigSpaceBuilder.bridge(0x1b36, 0x000e)
            .buses(7, 8, 8)
            .express(PciePortType.PCIE_TO_PCI_BRIDGE));
    h.device(
            "0000:08:01.0",
            ConfigSpaceBuilder.endpoint(0x8086, 0x100e).classCode(0x020000).conventional())
        .driver("e1000")
        .resetMethod("bus");
    h.device(
            "0000:08:02.0",
            ConfigSpaceBuilder.endpoint(0x8086, 0x100e).classCode(0x020000).conventional())
        .driver("e1000")
        .without("reset_method", "numa_node", "driver_override", "local_cpulist", "boot_vga");
    h.load("vfio-pci");
    return h;
  }
}
