package dev.pcikit.core.check;

import dev.pcikit.core.inventory.Inventory;
import dev.pcikit.core.inventory.PciDevice;
import dev.pcikit.core.sysfs.Sysfs;
import java.util.ArrayList;
import java.util.List;

/** Runs the host checks and the per-device checks of the devices asked about. */
public final class Checker {
  private final Sysfs sysfs;
  private final HostEnvironment env;
  private final HostUseCheck uses;

  public Checker(Sysfs sysfs, HostEnvironment env, HostUseCheck uses) {
    this.sysfs = sysfs;
    this.env = env;
    this.uses = uses;
  }

  /**
   * Checks the host and {@code devices}. Without devices named, every endpoint is checked (bridges
   * are platform, not candidates).
   */
  public CheckReport run(Inventory inv, List<PciDevice> devices, boolean named) {
    List<Finding> host = new ArrayList<>(new HostChecks(sysfs, env).run(inv));
    if (!uses.inspectsUsage()) {
      host.add(
          Finding.warning(
              "host-usage",
              HostChecks.HOST,
              "mounted disks, swap and network routes were not inspected for this host",
              "run pcikit check on the host itself"));
    }
    DeviceChecks dc = new DeviceChecks(inv, uses);
    List<DeviceReport> reports = new ArrayList<>();
    for (PciDevice d : devices) {
      if (!named && (d.isBridge() || (d.classCode() >> 16) == 0x06)) {
        continue;
      }
      reports.add(dc.check(d));
    }
    return new CheckReport(host, reports);
  }
}
