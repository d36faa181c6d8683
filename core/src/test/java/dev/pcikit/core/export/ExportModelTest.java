package dev.pcikit.core.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pcikit.core.check.Arch;
import dev.pcikit.core.check.CheckReport;
import dev.pcikit.core.check.Checker;
import dev.pcikit.core.check.FixedEnvironment;
import dev.pcikit.core.check.HostUseCheck;
import dev.pcikit.core.check.ModuleState;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.ids.DeviceNames;
import dev.pcikit.core.ids.PciIds;
import dev.pcikit.core.inventory.Inventory;
import dev.pcikit.core.testhosts.Hosts;
import dev.pcikit.core.testhosts.SyntheticHost;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The export model as a pure function of inventory and check, on synthetic hosts of any size. */
class ExportModelTest {

  static ExportHost host(SyntheticHost h, String cmdline) {
    return host(h, cmdline, ModuleState.AVAILABLE);
  }

  static ExportHost host(SyntheticHost h, String cmdline, ModuleState m) {
    Inventory inv = h.inventory();
    FixedEnvironment env =
        new FixedEnvironment(
            Arch.X86,
            Optional.of(cmdline),
            Optional.of("6.1.0-test"),
            Map.of("vfio", m, "vfio_pci", m, "vfio_iommu_type1", m));
    CheckReport check = new Checker(h.fs, env, HostUseCheck.NONE).run(inv, inv.devices(), false);
    return new ExportHost(inv, check, "node-1", new DeviceNames(PciIds.empty()));
  }

  /**
   * Any number of assignable functions: ceil(n/128) slices (one when there is nothing), each within
   * the limit, every function exactly once, every slice naming the same count and generation.
   */
  @Property(tries = 25)
  void slicesSplitAtTheApiLimit(@ForAll @IntRange(min = 0, max = 250) int vfs) {
    ExportHost host = host(Hosts.nicFarm(2, vfs), "intel_iommu=on");
    int n = host.assignable().size();
    List<LeftOut> out = new ArrayList<>();
    List<Map<String, Object>> slices =
        DraResourceSlices.slices(host, new DraOptions("pcikit.dev", "node-1", 7), out);
    assertThat(slices).hasSize(Math.max(1, (n + 127) / 128));
    Set<Object> names = new HashSet<>();
    for (Map<String, Object> s : slices) {
      Map<?, ?> spec = (Map<?, ?>) s.get("spec");
      Map<?, ?> pool = (Map<?, ?>) spec.get("pool");
      assertThat(pool.get("resourceSliceCount")).isEqualTo((long) slices.size());
      assertThat(pool.get("generation")).isEqualTo(7L);
      List<?> devices = (List<?>) spec.get("devices");
      assertThat(devices.size()).isLessThanOrEqualTo(DraLimits.MAX_DEVICES_PER_SLICE);
      for (Object d : devices) {
        Map<?, ?> dev = (Map<?, ?>) d;
        assertThat(names.add(dev.get("name"))).isTrue();
        assertThat(((Map<?, ?>) dev.get("attributes")).size())
            .isLessThanOrEqualTo(DraLimits.MAX_ATTRIBUTES_AND_CAPACITIES);
      }
    }
    assertThat(names).hasSize(n);
    assertThat(out).isEmpty();
  }

  @Test
  void aBlockedHostExportsNothingAndSaysWhy() {
    // vfio not installed: a host finding blocks every device
    ExportHost host = host(Hosts.nicFarm(1, 4), "intel_iommu=on", ModuleState.ABSENT);
    assertThat(host.hostBlocked()).isTrue();
    assertThat(host.assignable()).isEmpty();
    assertThat(host.notAssignable())
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.subject()).isEqualTo("host");
              assertThat(l.reason()).startsWith("passthrough is blocked on this host");
            });
    Export dra = DraResourceSlices.yaml(host, new DraOptions("pcikit.dev", "node-1", 1));
    assertThat(dra.text()).contains("resourceSliceCount: 1").contains("devices: []");
    assertThat(NovaPciConfig.conf(host).text()).doesNotContain("device_spec =");
    assertThat(NovaPciConfig.providerConfig(host).get("providers")).isEqualTo(List.of());
    assertThat(
            KubeVirtHostDevices.json(host, new KubeVirtHostDevices.Options("pcikit.dev", false))
                .text())
        .contains("\"pciHostDevices\": []");
  }

  /**
   * CloudStack: a GPU PF with VFs enabled cannot be assigned, its VFs can; it is listed with them
   * and full_passthrough.enabled 0, as gpudiscovery.sh lists an SR-IOV GPU. A GPU alone is listed
   * with enabled 1; a processing accelerator (class 12) too; a VGA controller never.
   */
  @Test
  void cloudStackListsSriovGpusWithTheirVfs() {
    SyntheticHost h = new SyntheticHost();
    int g = 0;
    var port = h.onRoot("0000:00:01.0", 0x8086, 0x2030, 0x060400).driver("pcieport").group(g++);
    var pf =
        h.below(port, "0000:01:00.0", 0x10de, 0x20b0, 0x030200)
            .driver("nvidia")
            .group(g++)
            .numa(0)
            .reset("flr")
            .sriov(4, 2);
    for (int v = 0; v < 2; v++) {
      h.below(port, "0000:01:00." + (v + 1), 0x10de, 0x20b1, 0x030200)
          .driver("vfio-pci")
          .group(g++)
          .numa(0)
          .reset("flr")
          .vfOf(pf, v);
    }
    h.onRoot("0000:00:02.0", 0x1d0f, 0x8061, 0x120000).group(g++).reset("flr");
    h.onRoot("0000:00:03.0", 0x1234, 0x1111, 0x030000).group(g++).reset("flr");
    ExportHost host = host(h, "intel_iommu=on");
    List<LeftOut> out = new ArrayList<>(host.notAssignable());
    Map<String, Object> doc = CloudStackGpuDiscovery.document(host, out);
    List<?> gpus = (List<?>) doc.get("gpus");
    assertThat(gpus).hasSize(2);
    Map<?, ?> a100 = (Map<?, ?>) gpus.get(1);
    assertThat(a100.get("pci_address")).isEqualTo("01:00.0");
    assertThat(a100.get("sriov_totalvfs")).isEqualTo(4L);
    assertThat(a100.get("sriov_numvfs")).isEqualTo(2L);
    assertThat(((Map<?, ?>) a100.get("full_passthrough")).get("enabled")).isEqualTo(0L);
    List<Object> vfs = new ArrayList<>();
    for (Object v : (List<?>) a100.get("vf_instances")) {
      vfs.add(((Map<?, ?>) v).get("vf_pci_address"));
    }
    assertThat(vfs).containsExactly("01:00.1", "01:00.2");
    assertThat(a100.get("pci_root")).isEqualTo("0000:00:01.0");
    Map<?, ?> accel = (Map<?, ?>) gpus.get(0);
    assertThat(accel.get("pci_address")).isEqualTo("00:02.0");
    assertThat(((Map<?, ?>) accel.get("full_passthrough")).get("enabled")).isEqualTo(1L);
    assertThat(out).anyMatch(l -> l.subject().equals("0000:00:03.0") && l.reason().contains("VGA"));
    assertThat(out).anyMatch(l -> l.subject().equals("0000:01:00.0"));
  }

  @Test
  void novaGlobsABusOnlyWhenEveryFunctionOfThatIdOnItIsAssignable() {
    ExportHost host = host(Hosts.nicFarm(1, 8), "intel_iommu=on");
    List<Map<String, Object>> specs = NovaPciConfig.deviceSpecs(host);
    assertThat(specs).anyMatch(s -> s.get("address").equals("0000:10:*.*"));
    assertThat(specs).noneMatch(s -> s.get("product_id").equals("1592"));
  }

  @Test
  void namesAndOptionsAreCheckedBeforeAnythingIsWritten() {
    assertThatThrownBy(() -> new DraOptions("Bad_Driver", "p", 1))
        .isInstanceOf(PcikitException.class);
    assertThatThrownBy(() -> new DraOptions("x." + "a".repeat(62), "p", 1))
        .isInstanceOf(PcikitException.class);
    assertThatThrownBy(() -> new DraOptions("ok.dev", "a//b", 1))
        .isInstanceOf(PcikitException.class);
    assertThatThrownBy(() -> new DraOptions("ok.dev", "p", -1)).isInstanceOf(PcikitException.class);
    assertThat(new DraOptions("ok.dev", "rack-1/node-1", 0).pool()).isEqualTo("rack-1/node-1");
    assertThat(K8sNames.nodeName("Web_01.Example.COM")).isEqualTo("web-01.example.com");
    assertThat(K8sNames.nodeName("--")).isEmpty();
    assertThat(K8sNames.isQualifiedName("pcikit.dev/8086-1889")).isTrue();
    assertThat(K8sNames.isQualifiedName("pcikit.dev/-x")).isFalse();
  }

  @Test
  void yamlQuotesEveryStringAndWritesPlainKeysOnlyWhenSafe() {
    Map<String, Object> doc = new java.util.LinkedHashMap<>();
    doc.put("yes", "no");
    doc.put("a/b.c", List.of("0x0000", "08", "", "line\nbreak"));
    doc.put("num", Map.of("int", 3L));
    doc.put("empty", Map.of());
    assertThat(YamlText.write(doc))
        .isEqualTo(
            "\"yes\": \"no\"\n"
                + "a/b.c:\n"
                + "  - \"0x0000\"\n"
                + "  - \"08\"\n"
                + "  - \"\"\n"
                + "  - \"line\\nbreak\"\n"
                + "num: {int: 3}\n"
                + "empty: {}\n");
  }
}
