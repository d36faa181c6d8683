package dev.pcikit.core.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.core.testhosts.Hosts;
import dev.pcikit.core.testhosts.SyntheticHost;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HostChecksTest {

  private static FixedEnvironment env(Arch arch, String cmdline, ModuleState modules) {
    return new FixedEnvironment(
        arch,
        Optional.ofNullable(cmdline),
        Optional.of("6.1.0-test"),
        Map.of(
            "vfio",
            modules,
            "vfio_pci",
            modules,
            "vfio_iommu_type1",
            modules,
            "vfio_iommu_spapr_tce",
            modules));
  }

  private static Finding find(List<Finding> fs, String code) {
    return fs.stream().filter(f -> f.code().equals(code)).findFirst().orElseThrow();
  }

  private static List<Finding> run(SyntheticHost h, FixedEnvironment env) {
    return new HostChecks(h.fs, env).run(h.inventory());
  }

  @Test
  void readyIntelHostHasNoBlockingFinding() {
    SyntheticHost h = Hosts.x86Workstation();
    List<Finding> fs = run(h, env(Arch.X86, "ro intel_iommu=on iommu=pt", ModuleState.LOADED));
    assertThat(fs).noneMatch(Finding::blocking);
    assertThat(find(fs, "iommu-enabled").message()).contains("11 IOMMU groups");
    assertThat(find(fs, "kernel-cmdline").message())
        .contains("intel_iommu=on iommu=pt")
        .contains("passthrough mode");
    assertThat(find(fs, "interrupt-remapping").verdict()).isEqualTo(Verdict.OK);
    assertThat(fs).filteredOn(f -> f.code().equals("vfio-module")).hasSize(3);
  }

  @Test
  void noGroupsWithIntelIommuOffIsBlockingWithTheOptionNamed() {
    SyntheticHost h = new SyntheticHost();
    h.onRoot("0000:00:02.0", 0x8086, 0x10d3, 0x020000).driver("e1000e");
    Finding f =
        find(run(h, env(Arch.X86, "quiet intel_iommu=off", ModuleState.LOADED)), "iommu-enabled");
    assertThat(f.verdict()).isEqualTo(Verdict.BLOCKING);
    assertThat(f.message()).contains("intel_iommu=off");
    assertThat(f.fix()).contains("remove intel_iommu=off");
  }

  @Test
  void noGroupsWithDmarUnitsAsksForIntelIommuOn() {
    SyntheticHost h = new SyntheticHost();
    h.fs.mkdirs("class/iommu/dmar0");
    h.onRoot("0000:00:02.0", 0x8086, 0x10d3, 0x020000).driver("e1000e");
    Finding f = find(run(h, env(Arch.X86, "quiet", ModuleState.LOADED)), "iommu-enabled");
    assertThat(f.blocking()).isTrue();
    assertThat(f.fix()).contains("intel_iommu=on");
  }

  @Test
  void missingInterruptRemappingBlocksUnlessUnsafeInterruptsAreAllowed() {
    SyntheticHost h = Hosts.x86Workstation();
    h.fs.putText("class/iommu/dmar0/intel-iommu/ecap", "f050d2\n"); // bit 3 clear
    List<Finding> fs = run(h, env(Arch.X86, "intel_iommu=on", ModuleState.LOADED));
    Finding ir = find(fs, "interrupt-remapping");
    assertThat(ir.verdict()).isEqualTo(Verdict.BLOCKING);
    assertThat(ir.message()).contains("dmar0").contains("ECAP.IR = 0");

    h.fs.putText("module/vfio_iommu_type1/parameters/allow_unsafe_interrupts", "Y\n");
    fs = run(h, env(Arch.X86, "intel_iommu=on", ModuleState.LOADED));
    assertThat(find(fs, "interrupt-remapping").verdict()).isEqualTo(Verdict.WARNING);
    assertThat(find(fs, "allow-unsafe-interrupts").verdict()).isEqualTo(Verdict.WARNING);
  }

  @Test
  void intremapOffOnTheCommandLineBlocks() {
    SyntheticHost h = Hosts.x86Workstation();
    Finding f =
        find(
            run(h, env(Arch.X86, "intel_iommu=on intremap=off", ModuleState.LOADED)),
            "interrupt-remapping");
    assertThat(f.blocking()).isTrue();
    assertThat(f.message()).contains("intremap=off");
  }

  @Test
  void unsafeInterruptsFromTheCommandLineWhenTheModuleIsNotLoaded() {
    SyntheticHost h = Hosts.x86Workstation();
    Finding f =
        find(
            run(
                h,
                env(
                    Arch.X86,
                    "intel_iommu=on vfio_iommu_type1.allow_unsafe_interrupts=1",
                    ModuleState.AVAILABLE)),
            "allow-unsafe-interrupts");
    assertThat(f.verdict()).isEqualTo(Verdict.WARNING);
    assertThat(f.message()).contains("kernel command line");
  }

  @Test
  void powerNeedsTheSpaprBackendAndNoInterruptRemapping() {
    SyntheticHost h = Hosts.power9();
    List<Finding> fs = run(h, env(Arch.POWER, "", ModuleState.BUILTIN));
    assertThat(find(fs, "interrupt-remapping").verdict()).isEqualTo(Verdict.OK);
    assertThat(find(fs, "interrupt-remapping").message()).contains("not applicable on POWER");
    assertThat(fs)
        .filteredOn(f -> f.code().equals("vfio-module"))
        .extracting(Finding::subject)
        .containsExactly("vfio", "vfio_iommu_spapr_tce", "vfio_pci");
    assertThat(fs).noneMatch(f -> f.code().equals("allow-unsafe-interrupts"));
    assertThat(find(fs, "iommu-enabled").message()).contains("partitionable endpoints");
  }

  @Test
  void s390xExplainsInterruptRemappingDoesNotApply() {
    Finding f =
        find(run(Hosts.power9(), env(Arch.S390X, "", ModuleState.LOADED)), "interrupt-remapping");
    assertThat(f.verdict()).isEqualTo(Verdict.OK);
    assertThat(f.message()).contains("s390x");
  }

  @Test
  void absentModuleIsBlockingAndNamesTheKernel() {
    List<Finding> fs =
        run(Hosts.x86Workstation(), env(Arch.X86, "intel_iommu=on", ModuleState.ABSENT));
    assertThat(fs)
        .filteredOn(f -> f.code().equals("vfio-module"))
        .allMatch(Finding::blocking)
        .allMatch(f -> f.message().contains("6.1.0-test"));
  }

  @Test
  void unreadableCommandLineIsAWarning() {
    Finding f =
        find(
            run(Hosts.x86Workstation(), env(Arch.X86, null, ModuleState.LOADED)), "kernel-cmdline");
    assertThat(f.verdict()).isEqualTo(Verdict.WARNING);
  }

  @Test
  void acsOverrideIsAWarning() {
    Finding f =
        find(
            run(
                Hosts.x86Workstation(),
                env(Arch.X86, "intel_iommu=on pcie_acs_override=downstream", ModuleState.LOADED)),
            "kernel-cmdline");
    assertThat(f.verdict()).isEqualTo(Verdict.WARNING);
  }

  @Test
  void commandLineParsing() {
    KernelCommandLine c =
        KernelCommandLine.parse(
            "BOOT_IMAGE=/vmlinuz root=\"/dev/a b\" intel_iommu=on,sm_on iommu=pt");
    assertThat(c.get("root")).contains("/dev/a b");
    assertThat(c.listContains("intel_iommu", "sm_on")).isTrue();
    assertThat(c.listContains("intel_iommu", "off")).isFalse();
    assertThat(c.relevant()).containsExactly("intel_iommu=on,sm_on", "iommu=pt");
    assertThat(
            KernelCommandLine.parse("vfio-iommu-type1.allow_unsafe_interrupts=1")
                .get("vfio_iommu_type1.allow_unsafe_interrupts"))
        .contains("1");
  }
}
