package dev.pcikit.cli;

import dev.pcikit.core.check.HostEnvironment;
import dev.pcikit.core.check.HostUseCheck;
import dev.pcikit.core.check.RootEnvironment;

/**
 * Where {@code pcikit check} gets what the inventory does not hold: the host environment (kernel
 * command line, modules) and what the running host uses its devices for. One place, so that the
 * binding engine's host-safety rules plug in here once, and simulated hosts supply their own.
 */
final class CheckWiring {
  private CheckWiring() {}

  static HostEnvironment environment(GlobalOptions global) {
    return new RootEnvironment(global.systemRoot(), global.sysfs());
  }

  /**
   * Host-critical uses (mounted disks, swap, default-route NICs). The binding engine's safety rules
   * (dev.pcikit.core.vfio) answer this; until they are wired in, usage is reported as not
   * inspected.
   */
  static HostUseCheck hostUses(GlobalOptions global) {
    return HostUseCheck.NONE;
  }
}
