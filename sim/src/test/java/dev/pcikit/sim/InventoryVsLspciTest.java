package dev.pcikit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.core.config.PciePortType;
import dev.pcikit.core.ids.DeviceNames;
import dev.pcikit.core.ids.PciIds;
import dev.pcikit.core.inventory.Inventory;
import dev.pcikit.core.inventory.InventoryReader;
import dev.pcikit.core.inventory.PciDevice;
import dev.pcikit.core.sysfs.DirectorySysfs;
import dev.pcikit.sim.config.ConfigSpaceBuilder;
import dev.pcikit.sim.snapshot.TreeMaterializer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Differential test of the inventory against the real lspci: on materialized trees, pcikit's reader
 * over the same directory must give lspci's device set, IDs, names (both pinned to one pci.ids with
 * -i), revision, prog-if, driver, NUMA node and IOMMU group ({@code lspci -vmm -nn -D -k}; lspci's
 * records are "Tag:\tvalue" lines, one record per device).
 */
class InventoryVsLspciTest {
  @TempDir Path dir;

  /** The system's pci.ids (pciutils depends on it); names are compared only when present. */
  static Path pciIds() {
    for (String p : PciIds.STANDARD_LOCATIONS) {
      if (!p.endsWith(".gz") && Files.isReadable(Path.of(p))) {
        return Path.of(p);
      }
    }
    return null;
  }

  @Test
  void sampleHostWithSwitchSriovSpillSharedGroupsAndMissingAttributes() throws Exception {
    HostBuilder h = TestHosts.sample();
    h.device("0000:01:00.0").autoprobe(false).numVfs(64); // VF 7 onwards spill onto bus 02
    HostSysfs host = h.build();
    assertThat(host.exists("bus/pci/devices/0000:02:00.0")).as("VFs spilled onto bus 02").isTrue();
    int compared = compare(host);
    assertThat(compared).isGreaterThan(70); // 14 functions + 64 VFs, some past function 255
  }

  @Test
  void realKernelRecordingAgreesWithLspci() throws Exception {
    assertThat(compare(dev.pcikit.sim.snapshot.Fixtures.x86Lab())).isEqualTo(21);
  }

  @Test
  void everyDemoHostAgreesWithLspci() throws Exception {
    for (String name : dev.pcikit.sim.demo.DemoHosts.NAMES) {
      assertThat(compare(dev.pcikit.sim.demo.DemoHosts.load(name))).as(name).isPositive();
    }
  }

  @Test
  void seededRandomHostsAgreeWithLspci() throws Exception {
    for (long seed = 1; seed <= 4; seed++) {
      compare(randomHost(new Random(seed)).build());
    }
  }

  /** Random devices behind root ports, IDs drawn from real pci.ids entries and random values. */
  static HostBuilder randomHost(Random r) {
    HostBuilder h = new HostBuilder("x86_64");
    int[][] known = {
      {0x8086, 0x10d3},
      {0x15b3, 0x101b},
      {0x10de, 0x2204},
      {0x1b36, 0x0010},
      {0x144d, 0xa808},
      {0x1af4, 0x1041},
      {0x14e4, 0x16d7},
      {0x1000, 0x0097}
    };
    int bus = 1;
    int ports = 2 + r.nextInt(6);
    for (int p = 0; p < ports; p++) {
      String rp = String.format("0000:00:%02x.0", p + 1);
      h.device(
              rp,
              ConfigSpaceBuilder.bridge(0x8086, 0x7ab8)
                  .buses(0, bus, bus)
                  .express(PciePortType.ROOT_PORT)
                  .acs(r.nextBoolean() ? 0x5f : 0, 0x1d))
          .driver("pcieport");
      int functions = 1 + r.nextInt(3);
      for (int f = 0; f < functions; f++) {
        int[] id =
            r.nextInt(3) == 0
                ? new int[] {r.nextInt(0xfffe) + 1, r.nextInt(0x10000)}
                : known[r.nextInt(known.length)];
        int cls =
            new int[] {0x020000, 0x010802, 0x030000, 0x120000, 0xff0000, 0x0c0330}[r.nextInt(6)];
        ConfigSpaceBuilder c =
            ConfigSpaceBuilder.endpoint(id[0], id[1])
                .classCode(cls)
                .revision(r.nextInt(4))
                .subsystem(r.nextBoolean() ? id[0] : r.nextInt(0x10000), r.nextInt(0x10000))
                .multifunction(functions > 1)
                .express(PciePortType.ENDPOINT);
        var d = h.device(String.format("0000:%02x:00.%d", bus, f), c);
        if (r.nextBoolean()) {
          d.driver(new String[] {"e1000e", "nvme", "vfio-pci"}[r.nextInt(3)]);
        }
        if (r.nextBoolean()) {
          d.numa(r.nextInt(2));
        }
      }
      bus++;
    }
    return h;
  }

  /** Materializes the host, runs both readers, compares every device; returns the count. */
  private int compare(HostSysfs host) throws Exception {
    Path tree = Files.createTempDirectory(dir, "tree");
    TreeMaterializer.materialize(host, tree);
    Path ids = pciIds();
    List<String> args = new ArrayList<>(List.of("-vmm", "-nn", "-D", "-k"));
    if (ids != null) {
      args.addAll(List.of("-i", ids.toString()));
    }
    Lspci.Result r = Lspci.run(tree, args.toArray(String[]::new));
    assertThat(r.exit()).as(r.err()).isZero();
    Map<String, Map<String, String>> expected = parseVmm(r.out());

    Inventory inv = new InventoryReader(new DirectorySysfs(tree)).read();
    DeviceNames names = new DeviceNames(ids == null ? PciIds.empty() : PciIds.load(ids));
    Map<String, Map<String, String>> actual = new LinkedHashMap<>();
    for (PciDevice d : inv.devices()) {
      actual.put(d.address().toString(), asVmm(d, names, ids != null));
    }
    if (ids == null) {
      expected.values().forEach(m -> m.keySet().removeIf(k -> k.endsWith("Name")));
    }
    assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
    for (String bdf : expected.keySet()) {
      assertThat(actual.get(bdf)).as(bdf).isEqualTo(expected.get(bdf));
    }
    return expected.size();
  }

  /** lspci -vmm records, keeping the fields pcikit reports; names keyed separately. */
  static Map<String, Map<String, String>> parseVmm(String out) {
    Map<String, Map<String, String>> devices = new LinkedHashMap<>();
    for (String record : out.split("\n\n")) {
      Map<String, String> f = new TreeMap<>();
      String slot = null;
      for (String line : record.split("\n")) {
        int tab = line.indexOf(":\t");
        if (tab < 0) {
          continue;
        }
        String k = line.substring(0, tab);
        String v = line.substring(tab + 2);
        switch (k) {
          case "Slot" -> slot = v;
          case "Class" -> f.put("ClassName", v);
          case "Vendor" -> f.put("VendorName", v);
          case "Device" -> f.put("DeviceName", v);
          case "SVendor" -> f.put("SVendorName", v);
          case "SDevice" -> f.put("SDeviceName", v);
          case "Rev", "ProgIf", "Driver", "NUMANode", "IOMMUGroup" -> f.put(k, v);
          default -> {}
        }
      }
      if (slot != null) {
        devices.put(slot, f);
      }
    }
    return devices;
  }

  /** The same record from pcikit's inventory, in lspci's -vmm -nn spelling. */
  static Map<String, String> asVmm(PciDevice d, DeviceNames n, boolean withNames) {
    Map<String, String> f = new TreeMap<>();
    if (withNames) {
      f.put("ClassName", n.classText(d.classCode()));
      f.put("VendorName", n.vendorText(d.vendor()));
      f.put("DeviceName", n.deviceText(d.vendor(), d.device()));
      // lspci prints the subsystem only when its vendor is neither 0 nor ffff (show_machine)
      if (d.subsystemVendor() > 0 && d.subsystemVendor() != 0xffff) {
        f.put("SVendorName", n.subVendorText(d.subsystemVendor()));
        f.put(
            "SDeviceName",
            n.subDeviceText(d.vendor(), d.device(), d.subsystemVendor(), d.subsystemDevice()));
      }
    }
    if (d.revision() > 0) {
      f.put("Rev", String.format("%02x", d.revision()));
    }
    // pciutils 3.9 (Debian 12) prints ProgIf whenever the class is known, even 00
    f.put("ProgIf", String.format("%02x", d.classCode() & 0xff));
    d.driver().ifPresent(v -> f.put("Driver", v));
    if (d.numaNode() >= 0) {
      f.put("NUMANode", Integer.toString(d.numaNode()));
    }
    d.iommuGroup().ifPresent(g -> f.put("IOMMUGroup", Integer.toString(g)));
    return f;
  }
}
