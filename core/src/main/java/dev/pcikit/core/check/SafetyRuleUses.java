package dev.pcikit.core.check;

import dev.pcikit.core.inventory.PciDevice;
import dev.pcikit.core.sysfs.Sysfs;
import dev.pcikit.core.vfio.DeviceReader;
import dev.pcikit.core.vfio.DriverctlOverrides;
import dev.pcikit.core.vfio.HostUsage;
import dev.pcikit.core.vfio.Refusal;
import dev.pcikit.core.vfio.SafetyCheck;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Host uses from the binding engine's safety rules ({@link SafetyCheck#forBind}): what binding the
 * device to vfio-pci would take from the host. Rules the device checks make themselves (bridge,
 * boot VGA, SR-IOV) are left to them, so no reason is reported twice.
 */
public final class SafetyRuleUses implements HostUseCheck {
  private final SafetyCheck safety;
  private final DeviceReader reader;

  public SafetyRuleUses(Sysfs sysfs, HostUsage usage, DriverctlOverrides driverctl) {
    this.safety = new SafetyCheck(sysfs, usage, driverctl);
    this.reader = new DeviceReader(sysfs);
  }

  @Override
  public List<Finding> uses(PciDevice d) {
    String s = d.address().toString();
    List<Finding> out = new ArrayList<>();
    List<Refusal> refusals;
    try {
      refusals = safety.forBind(reader.read(d.address()), "vfio-pci");
    } catch (IOException e) {
      out.add(
          Finding.warning(
                  "host-usage",
                  s,
                  "could not inspect what the host uses it for: " + e.getMessage(),
                  "check as root on the host")
              .with(FixAction.checkOnHost(true)));
      return out;
    }
    for (Refusal r : refusals) {
      String code = r.rule().name().toLowerCase(Locale.ROOT).replace('_', '-');
      switch (r.rule()) {
        case MOUNTED, SWAP, HELD, DEFAULT_ROUTE ->
            out.add(
                Finding.blocking(
                    code, s, r.reason(), "the host needs it: keep it, or move that use elsewhere"));
        case NET_ADDRESS, DRIVERCTL, GROUP_OPEN ->
            out.add(Finding.warning(code, s, r.reason(), ""));
        default -> {
          // bridge, boot VGA, VFs: reported by DeviceChecks itself
        }
      }
    }
    return out;
  }
}
