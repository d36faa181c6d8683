package dev.pcikit.core.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.core.inventory.Inventory;
import dev.pcikit.core.inventory.PciDevice;
import dev.pcikit.core.model.PciAddress;
import dev.pcikit.core.testhosts.Configs;
import dev.pcikit.core.testhosts.Hosts;
import dev.pcikit.core.testhosts.SyntheticHost;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeviceChecksTest {

  private static DeviceReport check(SyntheticHost h, String bdf) {
    return check(h, bdf, HostUseCheck.NONE);
  }

  private static DeviceReport check(SyntheticHost h, String bdf, HostUseCheck uses) {
    Inventory inv = h.inventory();
    PciDevice d = inv.device(PciAddress.parse(bdf)).orElseThrow();
    return new DeviceChecks(inv, uses).check(d);
  }

  private static List<String> codes(DeviceReport r, Verdict v) {
    return r.findings().stream().filter(f -> f.verdict() == v).map(Finding::code).toList();
  }

  private static Finding find(DeviceReport r, String code) {
    return r.findings().stream().filter(f -> f.code().equals(code)).findFirst().orElseThrow();
  }

  @Test
  void aVfioBoundDeviceAloneInItsGroupIsAssignable() {
    SyntheticHost h = Hosts.nicFarm(1, 4);
    DeviceReport r = check(h, "0000:10:00.1");
    assertThat(r.assignable()).isTrue();
    assertThat(r.verdict()).isEqualTo(Verdict.OK);
    assertThat(find(r, "group").message()).contains("alone in IOMMU group");
    assertThat(find(r, "driver").message()).contains("vfio-pci");
    assertThat(find(r, "reset").message()).contains("flr");
  }

  @Test
  void sharedGroupNamesThePeersThatMustGoToo() {
    SyntheticHost h = Hosts.x86Workstation();
    DeviceReport r = check(h, "0000:00:1f.3");
    Finding f = find(r, "group-shared");
    assertThat(f.verdict()).isEqualTo(Verdict.WARNING);
    assertThat(f.message())
        .contains("0000:00:1f.0 (no driver)")
        .contains("0000:00:1f.4 (driver i801_smbus)");
    assertThat(r.groupPeers())
        .containsExactly(PciAddress.parse("0000:00:1f.0"), PciAddress.parse("0000:00:1f.4"));
    assertThat(r.assignable()).isTrue();
    // the fix is typed: bind the group of this device; the prose names no command
    assertThat(f.action()).isEqualTo(FixAction.bindGroup(PciAddress.parse("0000:00:1f.3")));
    assertThat(f.fix()).isEqualTo("bind the whole group").doesNotContain("pcikit");
    Finding driver = find(r, "driver");
    assertThat(driver.message()).isEqualTo("bound to host driver snd_hda_intel");
    assertThat(driver.action()).isEqualTo(FixAction.bindDevice(PciAddress.parse("0000:00:1f.3")));
  }

  @Test
  void bridgesInTheGroupDoNotCountAsPeers() {
    DeviceReport r = check(Hosts.x86Workstation(), "0000:01:00.0");
    Finding f = find(r, "group-shared");
    assertThat(f.message()).contains("0000:01:00.1").contains("1 bridge(s)");
    assertThat(r.groupPeers()).containsExactly(PciAddress.parse("0000:01:00.1"));
    assertThat(find(r, "reset").message()).contains("secondary bus reset").contains("0000:00:01.0");
  }

  @Test
  void aPeerTheHostNeedsMakesTheDeviceUnassignable() {
    HostUseCheck uses =
        d ->
            d.address().toString().equals("0000:00:1f.4")
                ? List.of(
                    Finding.blocking(
                        "default-route", "0000:00:1f.4", "has eth0 carrying the default route", ""))
                : List.of();
    DeviceReport r = check(Hosts.x86Workstation(), "0000:00:1f.3", uses);
    Finding f = find(r, "group-shared");
    assertThat(f.blocking()).isTrue();
    assertThat(f.message()).contains("0000:00:1f.4: has eth0 carrying the default route");
    assertThat(r.assignable()).isFalse();
  }

  @Test
  void hostUsesOfTheDeviceItselfAreReported() {
    HostUseCheck uses =
        d ->
            List.of(
                Finding.blocking(
                    "mounted", d.address().toString(), "has /dev/nvme0n1 mounted", ""));
    DeviceReport r = check(Hosts.x86Workstation(), "0000:02:00.0", uses);
    assertThat(codes(r, Verdict.BLOCKING)).containsExactly("mounted");
  }

  @Test
  void bridgeAndBootVgaAreBlocking() {
    SyntheticHost h = Hosts.x86Workstation();
    assertThat(codes(check(h, "0000:00:01.0"), Verdict.BLOCKING)).contains("bridge");
    assertThat(codes(check(h, "0000:00:1f.0"), Verdict.BLOCKING)).contains("bridge");
    DeviceReport vga = check(h, "0000:00:02.0");
    assertThat(codes(vga, Verdict.BLOCKING)).containsExactly("boot-vga");
  }

  @Test
  void pfWithVfsInUseAndPfWithIdleVfs() {
    SyntheticHost h = Hosts.nicFarm(1, 4);
    Finding inUse = find(check(h, "0000:10:00.0"), "pf-vfs-in-use");
    assertThat(inUse.blocking()).isTrue();
    assertThat(inUse.message()).contains("0000:10:00.1 (vfio-pci)").contains("(4 of 4)");

    SyntheticHost idle = new SyntheticHost();
    var pf =
        idle.onRoot("0000:00:03.0", 0x8086, 0x1592, 0x020000).driver("ice").group(1).sriov(8, 1);
    idle.onRoot("0000:00:03.1", 0x8086, 0x1889, 0x020000).group(2).vfOf(pf, 0);
    Finding f = find(check(idle, "0000:00:03.0"), "sriov-enabled");
    assertThat(f.blocking()).isTrue();
    assertThat(f.message()).contains("1 VFs enabled").contains("Cannot bind to PF");
  }

  @Test
  void detachedVfIsAWarning() {
    SyntheticHost h = new SyntheticHost();
    h.onRoot("0000:00:04.0", 0x15b3, 0x101e, 0x020000).group(3).physfnMissing("0000:00:00.5");
    DeviceReport r = check(h, "0000:00:04.0");
    assertThat(find(r, "detached-vf").message()).contains("0000:00:00.5");
    assertThat(r.assignable()).isTrue();
  }

  @Test
  void notRespondingNoGroupAndNoReset() {
    SyntheticHost h = new SyntheticHost();
    h.onRoot("0000:00:05.0", 0x8086, 0x10d3, 0x020000).config(Configs.allOnes()).reset("");
    DeviceReport r = check(h, "0000:00:05.0");
    assertThat(codes(r, Verdict.BLOCKING)).containsExactly("not-responding", "no-iommu-group");
    assertThat(find(r, "no-reset").verdict()).isEqualTo(Verdict.WARNING);
  }

  @Test
  void conventionalPciAndMissingExtendedConfig() {
    SyntheticHost h = new SyntheticHost();
    h.onRoot("0000:00:06.0", 0x8086, 0x100e, 0x020000)
        .group(1)
        .config(Configs.full(0x8086, 0x100e, 0x020000, false, false));
    h.onRoot("0000:00:07.0", 0x8086, 0x10d3, 0x020000)
        .group(2)
        .config(Configs.expressTruncated(0x8086, 0x10d3, 0x020000));
    h.onRoot("0000:00:08.0", 0x8086, 0x10d3, 0x020000)
        .group(3)
        .config(Configs.full(0x8086, 0x10d3, 0x020000, true, true));
    DeviceReport conventional = check(h, "0000:00:06.0");
    assertThat(find(conventional, "conventional-pci").message()).contains("256 bytes");
    assertThat(find(conventional, "no-reset").message()).contains("no reset_method attribute");
    DeviceReport truncated = check(h, "0000:00:07.0");
    assertThat(find(truncated, "no-extended-config").verdict()).isEqualTo(Verdict.WARNING);
    DeviceReport express = check(h, "0000:00:08.0");
    assertThat(codes(express, Verdict.WARNING)).isEmpty();
    assertThat(find(express, "reset").message()).contains("Function Level Reset");
  }

  @Test
  void checkerSkipsBridgesUnlessNamedAndSaysUsageWasNotInspected() {
    SyntheticHost h = Hosts.x86Workstation();
    Inventory inv = h.inventory();
    FixedEnvironment env =
        new FixedEnvironment(Arch.X86, Optional.of("intel_iommu=on"), Optional.empty(), Map.of());
    CheckReport all = new Checker(h.fs, env, HostUseCheck.NONE).run(inv, inv.devices(), false);
    assertThat(all.devices())
        .extracting(d -> d.address().toString())
        .doesNotContain("0000:00:00.0", "0000:00:01.0", "0000:00:1f.0")
        .contains("0000:01:00.0", "0000:00:1f.3");
    assertThat(all.host())
        .filteredOn(f -> f.code().equals("host-usage"))
        .singleElement()
        .satisfies(f -> assertThat(f.action()).isEqualTo(FixAction.checkOnHost(false)));
    assertThat(all.devices().get(0).findings())
        .filteredOn(f -> f.code().equals("bridge") || f.code().equals("group"))
        .allSatisfy(f -> assertThat(f.action()).isEqualTo(FixAction.NONE));
    PciDevice port = inv.device(PciAddress.parse("0000:00:01.0")).orElseThrow();
    CheckReport named = new Checker(h.fs, env, HostUseCheck.NONE).run(inv, List.of(port), true);
    assertThat(named.devices()).hasSize(1);
    assertThat(named.blocking()).isTrue();
  }

  @Test
  void aDeviceWhoseOnlyResetHitsAHostDeviceIsBlocking() {
    SyntheticHost h = new SyntheticHost();
    SyntheticHost.Fn port = h.onRoot("0000:00:1c.0", 0x8086, 0xa110, 0x060400).driver("pcieport");
    // a card without FLR sharing the bus with the host's NIC (other group: ACS splits them)
    h.below(port, "0000:02:00.0", 0x1234, 0x0001, 0x048000).group(5).reset("");
    h.below(port, "0000:02:01.0", 0x8086, 0x10d3, 0x020000).group(6).driver("e1000e");
    DeviceReport r = check(h, "0000:02:00.0");
    Finding f = find(r, "reset-blast-radius");
    assertThat(f.verdict()).isEqualTo(Verdict.BLOCKING);
    assertThat(f.message()).contains("below 0000:00:1c.0").contains("0000:02:01.0 (e1000e)");
    assertThat(f.fix()).contains("slot of its own").doesNotContain("pcikit");
    assertThat(f.action()).isEqualTo(FixAction.bindAlso(List.of(PciAddress.parse("0000:02:01.0"))));
    assertThat(r.assignable()).isFalse();
    // once the neighbour is on vfio-pci too, the reset hurts no host device: a warning
    SyntheticHost h2 = new SyntheticHost();
    SyntheticHost.Fn p2 = h2.onRoot("0000:00:1c.0", 0x8086, 0xa110, 0x060400).driver("pcieport");
    h2.below(p2, "0000:02:00.0", 0x1234, 0x0001, 0x048000).group(5).reset("");
    h2.below(p2, "0000:02:01.0", 0x8086, 0x10d3, 0x020000).group(6).driver("vfio-pci");
    DeviceReport r2 = check(h2, "0000:02:00.0");
    assertThat(find(r2, "reset").verdict()).isEqualTo(Verdict.WARNING);
    assertThat(find(r2, "reset").message()).contains("it also resets 0000:02:01.0");
  }

  @Test
  void aKnownBadModelIsNamedWithItsSource() {
    SyntheticHost h = new SyntheticHost();
    h.onRoot("0000:00:03.0", 0x1002, 0x731f, 0x030000).group(4).reset("flr");
    Finding f = find(check(h, "0000:00:03.0"), "reset-quirk");
    assertThat(f.verdict()).isEqualTo(Verdict.WARNING);
    assertThat(f.message()).contains("Navi 10");
    assertThat(f.fix()).contains("gnif/vendor-reset");
  }
}
