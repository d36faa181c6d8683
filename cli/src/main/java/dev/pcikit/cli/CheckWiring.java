package dev.pcikit.cli;

import dev.pcikit.core.check.Arch;
import dev.pcikit.core.check.FixedEnvironment;
import dev.pcikit.core.check.HostEnvironment;
import dev.pcikit.core.check.HostUseCheck;
import dev.pcikit.core.check.ModuleState;
import dev.pcikit.core.check.RootEnvironment;

/**
 * Where {@code pcikit check} gets what the inventory does not hold: the host environment (kernel
 * command line, modules) and what the running host uses its devices for. One place, so that the
 * binding engine's host-safety rules plug in here once, and simulated hosts supply their own.
 */
final class CheckWiring {
  private CheckWiring() {}

  static HostEnvironment environment(GlobalOptions global) {
    if (global.hostSession().isPresent()) {
      return simulated(global.hostSession().get().kernel());
    }
    return new RootEnvironment(global.systemRoot(), global.sysfs());
  }

  /**
   * A recorded or demo host: its recorded facts (arch, kernel, cmdline when recorded). The
   * simulated kernel loads any module it catalogues on demand, so the vfio modules count as
   * installed unless loaded already.
   */
  static HostEnvironment simulated(dev.pcikit.sim.SimKernel kernel) {
    java.util.Map<String, String> info = kernel.host().info();
    java.util.Map<String, ModuleState> modules = new java.util.HashMap<>();
    for (String m :
        java.util.List.of("vfio", "vfio_pci", "vfio_iommu_type1", "vfio_iommu_spapr_tce")) {
      boolean loaded = kernel.exists("module/" + m) || kernel.loaded(m.replace('_', '-'));
      modules.put(m, loaded ? ModuleState.LOADED : ModuleState.AVAILABLE);
    }
    return new FixedEnvironment(
        Arch.of(kernel.host().arch()),
        java.util.Optional.ofNullable(info.get("cmdline")),
        java.util.Optional.ofNullable(info.get("kernel")),
        modules);
  }

  /**
   * Host-critical uses (mounted disks, swap, md/dm/LVM holders, default-route NICs, addressed NICs,
   * open VFIO groups, driverctl overrides): the binding engine's safety rules, reading ROOT/proc
   * and ROOT/etc/driverctl.d. Recorded and demo hosts, and roots without proc/mounts (a copied
   * tree), have no usage to read: check then says so in a host finding.
   */
  static HostUseCheck hostUses(GlobalOptions global) {
    if (global.hostSession().isPresent()) {
      return HostUseCheck.NONE;
    }
    dev.pcikit.core.sysfs.SystemRoot root = global.systemRoot();
    if (!java.nio.file.Files.isReadable(root.proc().resolve("mounts"))) {
      return HostUseCheck.NONE;
    }
    return new dev.pcikit.core.check.SafetyRuleUses(
        global.sysfs(),
        new dev.pcikit.core.vfio.ProcHostUsage(root.proc()),
        new dev.pcikit.core.vfio.DriverctlOverrides(root.etc().resolve("driverctl.d")));
  }
}
