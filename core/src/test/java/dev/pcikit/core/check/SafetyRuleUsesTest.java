package dev.pcikit.core.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.core.inventory.Inventory;
import dev.pcikit.core.testhosts.Hosts;
import dev.pcikit.core.testhosts.SyntheticHost;
import dev.pcikit.core.vfio.DriverctlOverrides;
import dev.pcikit.core.vfio.HostUsage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** check reports the binding engine's host-safety rules as host-critical uses. */
class SafetyRuleUsesTest {
  @TempDir Path etc;

  static final class Usage implements HostUsage {
    public Set<String> mountedBlockDevices() {
      return Set.of("nvme0n1p2");
    }

    public Set<String> swapDevices() {
      return Set.of();
    }

    public Set<String> defaultRouteInterfaces() {
      return Set.of("eno1");
    }

    public Set<String> interfacesWithAddresses() {
      return Set.of("eno1", "eno2");
    }

    public Map<Integer, List<String>> openVfioGroups() {
      return Map.of();
    }
  }

  @Test
  void mountedDiskAndDefaultRouteNicAreBlockingAnAddressedNicWarns() {
    SyntheticHost h = Hosts.x86Workstation();
    Inventory before = h.inventory();
    h.fs.mkdirs(
        before.device(dev.pcikit.core.model.PciAddress.parse("0000:02:00.0")).get().devicePath()
            + "/nvme/nvme0/nvme0n1/nvme0n1p2");
    h.fs.putText(
        before.device(dev.pcikit.core.model.PciAddress.parse("0000:02:00.0")).get().devicePath()
            + "/nvme/nvme0/nvme0n1/nvme0n1p2/partition",
        "2\n");
    h.fs.mkdirs(
        before.device(dev.pcikit.core.model.PciAddress.parse("0000:03:00.0")).get().devicePath()
            + "/net/eno1");
    h.fs.mkdirs(
        before.device(dev.pcikit.core.model.PciAddress.parse("0000:04:00.0")).get().devicePath()
            + "/net/eno2");
    Inventory inv = h.inventory();
    HostUseCheck uses = new SafetyRuleUses(h.fs, new Usage(), new DriverctlOverrides(etc));
    FixedEnvironment env =
        new FixedEnvironment(Arch.X86, Optional.of("intel_iommu=on"), Optional.empty(), Map.of());
    CheckReport r = new Checker(h.fs, env, uses).run(inv, inv.devices(), false);
    DeviceReport disk = report(r, "0000:02:00.0");
    assertThat(disk.assignable()).isFalse();
    assertThat(disk.findings()).anyMatch(f -> f.code().equals("mounted") && f.blocking());
    DeviceReport nic = report(r, "0000:03:00.0");
    assertThat(nic.findings())
        .anyMatch(f -> f.code().equals("default-route") && f.message().contains("eno1"));
    DeviceReport other = report(r, "0000:04:00.0");
    assertThat(other.assignable()).isTrue();
    assertThat(other.findings()).anyMatch(f -> f.code().equals("net-address"));
    assertThat(r.host()).noneMatch(f -> f.code().equals("host-usage"));
  }

  private static DeviceReport report(CheckReport r, String bdf) {
    return r.devices().stream()
        .filter(d -> d.address().toString().equals(bdf))
        .findFirst()
        .orElseThrow();
  }
}
