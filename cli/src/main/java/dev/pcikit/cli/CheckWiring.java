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

  /**
   * Refuses --host until recorded and demo hosts are read by HostAccess: without this, the command
   * would silently look at this machine instead.
   */
  static void refuseHostOption(GlobalOptions global, String command) {
    if (global.host().isPresent()) {
      throw new dev.pcikit.core.error.PcikitException(
          dev.pcikit.core.error.ExitCode.USAGE,
          command + " does not read --host recordings or demo hosts yet; use --root DIR");
    }
  }

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
