package dev.pcikit.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.core.inventory.InventoryReader;
import dev.pcikit.core.model.PciAddress;
import dev.pcikit.core.sysfs.MemorySysfs;
import org.junit.jupiter.api.Test;

class InventoryHostFactsTest {

  static byte[] pcieConfig(int size) {
    byte[] c = new byte[size];
    c[0x00] = (byte) 0x86;
    c[0x01] = (byte) 0x80;
    c[0x06] = 0x10;
    c[0x34] = 0x50;
    c[0x50] = 0x01; // power management, then PCI Express
    c[0x51] = 0x60;
    c[0x60] = 0x10;
    c[0x62] = 0x02;
    c[0x0e] = (byte) 0x80;
    return c;
  }

  @Test
  void takesThePlannersFactsFromTheInventory() {
    MemorySysfs s = new MemorySysfs();
    String pf = "devices/pci0000:00/0000:01:00.0";
    String vf = "devices/pci0000:00/0000:01:00.1";
    String old = "devices/pci0000:00/0000:05:01.0";
    for (String d : new String[] {pf, vf, old}) {
      s.mkdirs(d);
      s.putLink("bus/pci/devices/" + d.substring(d.lastIndexOf('/') + 1), "../../../" + d);
      s.putText(d + "/vendor", "0x8086\n");
      s.putText(d + "/device", "0x1572\n");
      s.putText(d + "/class", "0x020000\n");
    }
    s.mkdirs("kernel/iommu_groups/4/devices");
    s.mkdirs("kernel/iommu_groups/5/devices");
    s.putFile(pf + "/config", pcieConfig(4096));
    s.putText(pf + "/numa_node", "1\n");
    s.putLink(pf + "/iommu_group", "../../../kernel/iommu_groups/4");
    // an unprivileged reader gets 64 bytes: PCIe is then told by max_link_speed
    s.putFile(vf + "/config", new byte[64]);
    s.putText(vf + "/max_link_speed", "8.0 GT/s PCIe\n");
    s.putText(vf + "/numa_node", "-1\n");
    s.putLink(vf + "/iommu_group", "../../../kernel/iommu_groups/5");
    s.putLink(vf + "/physfn", "../0000:01:00.0");
    s.putFile(old + "/config", new byte[256]);

    HostTopology t = InventoryHostFacts.of(new InventoryReader(s).read(), s);
    HostFunction p = t.find(PciAddress.parse("0000:01:00.0")).orElseThrow();
    assertThat(p.pcie()).isTrue();
    assertThat(p.configSize()).isEqualTo(4096);
    assertThat(p.multifunction()).isTrue();
    assertThat(p.numaNode()).isEqualTo(1);
    assertThat(p.iommuGroup()).isEqualTo(4);
    assertThat(p.vendor()).isEqualTo(0x8086);
    assertThat(p.classCode()).isEqualTo(0x020000);
    HostFunction v = t.find(PciAddress.parse("0000:01:00.1")).orElseThrow();
    assertThat(v.pcie()).isTrue();
    assertThat(v.configSize()).isEqualTo(4096);
    assertThat(v.physfn()).hasValue(PciAddress.parse("0000:01:00.0"));
    assertThat(v.numaNode()).isEqualTo(HostFunction.NO_NODE);
    HostFunction o = t.find(PciAddress.parse("0000:05:01.0")).orElseThrow();
    assertThat(o.pcie()).isFalse();
    assertThat(o.configSize()).isEqualTo(256);
    assertThat(o.iommuGroup()).isEqualTo(HostFunction.NO_GROUP);
    assertThat(t.group(4)).containsExactly(p);
  }
}
