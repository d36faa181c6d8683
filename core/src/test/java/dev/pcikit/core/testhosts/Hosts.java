package dev.pcikit.core.testhosts;

/**
 * The synthetic hosts the pictures are drawn from (until the simulated demo hosts replace them): an
 * x86 workstation, a POWER9 box with one PHB per slot, and an SR-IOV NIC farm.
 */
public final class Hosts {
  private Hosts() {}

  private static final java.util.Map<Integer, String> NAMES =
      java.util.Map.ofEntries(
          java.util.Map.entry(0x80863e30, "Intel 8th Gen Core Host Bridge"),
          java.util.Map.entry(0x80861901, "Intel PCIe Controller (x16)"),
          java.util.Map.entry(0x10de2484, "NVIDIA GA104 [GeForce RTX 3070]"),
          java.util.Map.entry(0x10de228b, "NVIDIA GA104 High Definition Audio"),
          java.util.Map.entry(0x80863e92, "Intel CoffeeLake-S GT2 [UHD Graphics 630]"),
          java.util.Map.entry(0x8086a36d, "Intel Cannon Lake PCH USB 3.1 xHCI"),
          java.util.Map.entry(0x8086a340, "Intel Cannon Lake PCH PCIe Root Port #17"),
          java.util.Map.entry(0x144da808, "Samsung NVMe SSD Controller SM981/PM981"),
          java.util.Map.entry(0x8086a338, "Intel Cannon Lake PCH PCIe Root Port #1"),
          java.util.Map.entry(0x80861533, "Intel I210 Gigabit Network Connection"),
          java.util.Map.entry(0x8086a33c, "Intel Cannon Lake PCH PCIe Root Port #5"),
          java.util.Map.entry(0x80861539, "Intel I211 Gigabit Network Connection"),
          java.util.Map.entry(0x8086a305, "Intel Z390 Chipset LPC/eSPI Controller"),
          java.util.Map.entry(0x8086a348, "Intel Cannon Lake PCH cAVS"),
          java.util.Map.entry(0x8086a323, "Intel Cannon Lake PCH SMBus Controller"),
          java.util.Map.entry(0x1014034a, "IBM PCI-E IPR SAS Adapter (ASIC)"),
          java.util.Map.entry(0x101404c1, "IBM POWER9 Host Bridge (PHB4)"),
          java.util.Map.entry(0x14e4168a, "Broadcom NetXtreme II BCM57800 1/10 Gigabit"),
          java.util.Map.entry(0x10de1db1, "NVIDIA GV100GL [Tesla V100 SXM2 16GB]"),
          java.util.Map.entry(0x15b31017, "Mellanox MT27800 Family [ConnectX-5]"),
          java.util.Map.entry(0x100000c9, "Broadcom / LSI SAS3008 PCI-Express Fusion-MPT"),
          java.util.Map.entry(0x80862020, "Intel Sky Lake-E DMI3 Registers"),
          java.util.Map.entry(0x80862030, "Intel Sky Lake-E PCI Express Root Port A"),
          java.util.Map.entry(0x80861592, "Intel Ethernet Controller E810-C for QSFP"),
          java.util.Map.entry(0x80861889, "Intel Ethernet Adaptive Virtual Function"));

  /** Fixed names for the IDs these hosts use (pictures must not depend on the local pci.ids). */
  public static String name(dev.pcikit.core.inventory.PciDevice d) {
    return NAMES.getOrDefault((d.vendor() << 16) | d.device(), "");
  }

  /** Desktop-like x86: iGPU (boot VGA), a GPU+audio pair behind a root port, NVMe, two NICs. */
  public static SyntheticHost x86Workstation() {
    SyntheticHost h = new SyntheticHost();
    h.fs.mkdirs("class/iommu/dmar0/intel-iommu");
    h.fs.putText("class/iommu/dmar0/intel-iommu/ecap", "f050da\n");
    h.onRoot("0000:00:00.0", 0x8086, 0x3e30, 0x060000).group(0).numa(0);
    var port1 = h.onRoot("0000:00:01.0", 0x8086, 0x1901, 0x060400).driver("pcieport").group(1);
    h.below(port1, "0000:01:00.0", 0x10de, 0x2484, 0x030000)
        .driver("vfio-pci")
        .group(1)
        .numa(0)
        .reset("bus");
    h.below(port1, "0000:01:00.1", 0x10de, 0x228b, 0x040300)
        .driver("vfio-pci")
        .group(1)
        .numa(0)
        .reset("bus");
    h.onRoot("0000:00:02.0", 0x8086, 0x3e92, 0x030000)
        .driver("i915")
        .group(2)
        .numa(0)
        .bootVga()
        .reset("flr");
    h.onRoot("0000:00:14.0", 0x8086, 0xa36d, 0x0c0330).driver("xhci_hcd").group(3).numa(0);
    var port2 = h.onRoot("0000:00:1b.0", 0x8086, 0xa340, 0x060400).driver("pcieport").group(4);
    h.below(port2, "0000:02:00.0", 0x144d, 0xa808, 0x010802)
        .driver("nvme")
        .group(5)
        .numa(0)
        .reset("flr bus");
    var port3 = h.onRoot("0000:00:1c.0", 0x8086, 0xa338, 0x060400).driver("pcieport").group(6);
    h.below(port3, "0000:03:00.0", 0x8086, 0x1533, 0x020000)
        .driver("igb")
        .group(7)
        .numa(0)
        .reset("pm bus");
    var port4 = h.onRoot("0000:00:1c.4", 0x8086, 0xa33c, 0x060400).driver("pcieport").group(8);
    h.below(port4, "0000:04:00.0", 0x8086, 0x1539, 0x020000).group(9).numa(0).reset("pm bus");
    h.onRoot("0000:00:1f.0", 0x8086, 0xa305, 0x060100).group(10).numa(0);
    h.onRoot("0000:00:1f.3", 0x8086, 0xa348, 0x040300).driver("snd_hda_intel").group(10).numa(0);
    h.onRoot("0000:00:1f.4", 0x8086, 0xa323, 0x0c0500).driver("i801_smbus").group(10).numa(0);
    return h;
  }

  /** POWER9-like: one PHB (PCI domain) per slot, each its own PE; two NUMA nodes (0 and 8). */
  public static SyntheticHost power9() {
    SyntheticHost h = new SyntheticHost();
    h.fs.mkdirs("firmware/opal");
    String[][] slots = {
      // domain, vendor, device, class, driver, NUMA
      {"0000", "1014", "034a", "010400", "ipr", "0"},
      {"0001", "14e4", "168a", "020000", "bnx2x", "0"},
      {"0030", "10de", "1db1", "030200", "vfio-pci", "8"},
      {"0031", "15b3", "1017", "020000", "mlx5_core", "8"},
      {"0032", "1000", "00c9", "010700", "", "8"},
    };
    int pe = 0;
    for (String[] s : slots) {
      int numa = Integer.parseInt(s[5]);
      // Each PHB4 has one root port; the device behind it is its own PE.
      var port =
          h.onRoot(s[0] + ":00:00.0", 0x1014, 0x04c1, 0x060400).driver("pcieport").numa(numa);
      var fn =
          h.below(
                  port,
                  s[0] + ":01:00.0",
                  Integer.parseInt(s[1], 16),
                  Integer.parseInt(s[2], 16),
                  Integer.parseInt(s[3], 16))
              .group(pe)
              .numa(numa);
      int v = Integer.parseInt(s[1], 16);
      int dv = Integer.parseInt(s[2], 16);
      int cls = Integer.parseInt(s[3], 16);
      // Full config as root reads it; the IPR adapter's PHB gives the host no extended config.
      fn.config(
          s[4].equals("ipr")
              ? Configs.expressTruncated(v, dv, cls)
              : Configs.full(v, dv, cls, true, true));
      if (!s[4].isEmpty()) {
        fn.driver(s[4]);
      }
      if (s[4].equals("bnx2x")) {
        h.below(port, s[0] + ":01:00.1", 0x14e4, 0x168a, 0x020000)
            .driver("bnx2x")
            .group(pe)
            .numa(numa);
      }
      pe++;
    }
    return h;
  }

  /**
   * {@code pfs} NIC PFs (Intel E810 IDs), each behind its own root port with {@code vfs} VFs: the
   * first half of each PF's VFs on vfio-pci, the rest on iavf, every VF alone in its group.
   */
  public static SyntheticHost nicFarm(int pfs, int vfs) {
    SyntheticHost h = new SyntheticHost();
    h.fs.mkdirs("class/iommu/dmar0/intel-iommu");
    h.fs.putText("class/iommu/dmar0/intel-iommu/ecap", "f050da\n");
    int group = 0;
    h.onRoot("0000:00:00.0", 0x8086, 0x2020, 0x060000).group(group++).numa(0);
    for (int p = 0; p < pfs; p++) {
      int bus = 0x10 * (p + 1);
      int numa = p < pfs / 2 ? 0 : 1;
      var port =
          h.onRoot(String.format("0000:00:%02x.0", p + 1), 0x8086, 0x2030, 0x060400)
              .driver("pcieport")
              .group(group++)
              .numa(numa);
      var pf =
          h.below(port, String.format("0000:%02x:00.0", bus), 0x8086, 0x1592, 0x020000)
              .driver("ice")
              .group(group++)
              .numa(numa)
              .reset("flr bus")
              .sriov(256, vfs);
      for (int v = 0; v < vfs; v++) {
        int routing = 1 + v; // offset 1, stride 1, ARI: functions across device numbers
        String bdf = String.format("0000:%02x:%02x.%x", bus, routing >> 3, routing & 7);
        h.below(port, bdf, 0x8086, 0x1889, 0x020000)
            .driver(v < vfs / 2 ? "vfio-pci" : "iavf")
            .group(group++)
            .numa(numa)
            .reset("flr")
            .vfOf(pf, v);
      }
    }
    return h;
  }
}
