package dev.pcikit.core.check;

import dev.pcikit.core.identity.DeviceIdentity;
import dev.pcikit.core.identity.FingerprintReader;
import dev.pcikit.core.inventory.Inventory;
import dev.pcikit.core.inventory.PciDevice;
import dev.pcikit.core.sysfs.Sysfs;
import java.io.IOException;
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
                  "check on the host itself")
              .with(FixAction.checkOnHost(false)));
    }
    DeviceChecks dc = new DeviceChecks(inv, uses);
    // the inventory's facts (with FULL detail its whole config space) are not read again
    FingerprintReader ids = new FingerprintReader(sysfs, inv.devices());
    List<DeviceReport> reports = new ArrayList<>();
    for (PciDevice d : devices) {
      if (!named && (d.isBridge() || (d.classCode() >> 16) == 0x06)) {
        continue;
      }
      reports.add(withIdentity(dc.check(d), ids));
    }
    return new CheckReport(host, reports);
  }

  /**
   * The device's fingerprint as an ok finding ({@code identity}), and what made it weaker than it
   * could be (malformed VPD, config space not readable) as warnings ({@code identity-read}).
   */
  private static DeviceReport withIdentity(DeviceReport r, FingerprintReader ids) {
    List<Finding> out = new ArrayList<>(r.findings());
    String s = r.address().toString();
    try {
      DeviceIdentity id = ids.read(r.address());
      out.add(Finding.ok("identity", s, "fingerprint " + id.fingerprint().describe()));
      for (String f : id.findings()) {
        out.add(
            Finding.warning(
                "identity-read",
                s,
                f,
                "the fingerprint falls back on weaker anchors; run as root for the DSN"));
      }
    } catch (IOException e) {
      out.add(Finding.warning("identity-read", s, "no fingerprint: " + e.getMessage(), ""));
    }
    return new DeviceReport(r.address(), out, r.iommuGroup(), r.groupPeers());
  }
}
