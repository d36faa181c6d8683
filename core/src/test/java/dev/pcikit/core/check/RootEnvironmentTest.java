package dev.pcikit.core.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.core.sysfs.SystemRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootEnvironmentTest {
  @TempDir Path root;

  private RootEnvironment env() {
    SystemRoot r = new SystemRoot(root);
    return new RootEnvironment(r, r.sysfs());
  }

  @Test
  void readsCommandLineReleaseAndModuleLists() throws Exception {
    Files.createDirectories(root.resolve("proc/sys/kernel"));
    Files.writeString(root.resolve("proc/cmdline"), "ro intel_iommu=on\n");
    Files.writeString(root.resolve("proc/sys/kernel/osrelease"), "6.1.0-9-amd64\n");
    Files.writeString(root.resolve("proc/sys/kernel/arch"), "x86_64\n");
    Path mods = Files.createDirectories(root.resolve("lib/modules/6.1.0-9-amd64"));
    Files.writeString(mods.resolve("modules.builtin"), "kernel/drivers/vfio/vfio.ko\n");
    Files.writeString(
        mods.resolve("modules.dep"),
        "kernel/drivers/vfio/pci/vfio-pci.ko.xz: kernel/drivers/vfio/pci/vfio-pci-core.ko.xz\n"
            + "kernel/drivers/vfio/pci/vfio-pci-core.ko.xz:\n");
    Files.createDirectories(root.resolve("sys/module/vfio_iommu_type1"));
    RootEnvironment e = env();
    assertThat(e.arch()).isEqualTo(Arch.X86);
    assertThat(e.kernelCommandLine()).contains("ro intel_iommu=on");
    assertThat(e.kernelRelease()).contains("6.1.0-9-amd64");
    assertThat(e.module("vfio")).isEqualTo(ModuleState.BUILTIN);
    assertThat(e.module("vfio-pci")).isEqualTo(ModuleState.AVAILABLE);
    assertThat(e.module("vfio_pci_core")).isEqualTo(ModuleState.AVAILABLE);
    assertThat(e.module("vfio_iommu_type1")).isEqualTo(ModuleState.LOADED);
    assertThat(e.module("vfio_iommu_spapr_tce")).isEqualTo(ModuleState.ABSENT);
  }

  @Test
  void withoutModuleListsTheStateIsUnknownAndTheReleaseComesFromTheOnlyModulesDir()
      throws Exception {
    Files.createDirectories(root.resolve("lib/modules/6.12.0-1-ppc64le"));
    Files.createDirectories(root.resolve("sys/firmware/opal"));
    RootEnvironment e = env();
    assertThat(e.kernelRelease()).contains("6.12.0-1-ppc64le");
    assertThat(e.module("vfio_pci")).isEqualTo(ModuleState.UNKNOWN);
    assertThat(e.arch()).isEqualTo(Arch.POWER);
    assertThat(e.kernelCommandLine()).isEmpty();
  }

  @Test
  void moduleNamesAreNormalisedLikeKmod() {
    assertThat(ModuleLists.nameOf("kernel/drivers/vfio/pci/vfio-pci.ko.zst")).isEqualTo("vfio_pci");
    assertThat(ModuleLists.listed("a/b/vfio_iommu_type1.ko: a/vfio.ko\n", "vfio-iommu-type1"))
        .isTrue();
    assertThat(ModuleLists.listed("a/b/vfio_iommu_type1.ko: a/vfio.ko\n", "vfio")).isFalse();
  }

  @Test
  void archNames() {
    assertThat(Arch.of("x86_64")).isEqualTo(Arch.X86);
    assertThat(Arch.of("amd64")).isEqualTo(Arch.X86);
    assertThat(Arch.of("ppc64le")).isEqualTo(Arch.POWER);
    assertThat(Arch.of("s390x")).isEqualTo(Arch.S390X);
    assertThat(Arch.of("aarch64")).isEqualTo(Arch.ARM);
    assertThat(Arch.of("riscv64")).isEqualTo(Arch.UNKNOWN);
  }
}
