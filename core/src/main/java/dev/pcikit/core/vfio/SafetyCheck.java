package dev.pcikit.core.vfio;

import dev.pcikit.core.model.PciAddress;
import dev.pcikit.core.sysfs.Sysfs;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Host-safety rules: what taking a device away from its host driver would break. Each finding is a
 * {@link Refusal}; the caller refuses unless --force (and the rule is forceable).
 */
public final class SafetyCheck {
  private final Sysfs sysfs;
  private final HostUsage usage;
  private final DriverctlOverrides driverctl;
  private final DeviceReader reader;
  private Set<String> mounted;
  private Set<String> swaps;
  private Set<String> defaultRoute;
  private Set<String> addressed;
  private Map<Integer, List<String>> openGroups;

  public SafetyCheck(Sysfs sysfs, HostUsage usage, DriverctlOverrides driverctl) {
    this.sysfs = sysfs;
    this.usage = usage;
    this.driverctl = driverctl;
    this.reader = new DeviceReader(sysfs);
  }

  private void load() throws IOException {
    if (mounted == null) {
      mounted = usage.mountedBlockDevices();
      swaps = usage.swapDevices();
      defaultRoute = usage.defaultRouteInterfaces();
      addressed = usage.interfacesWithAddresses();
      openGroups = usage.openVfioGroups();
    }
  }

  public Map<Integer, List<String>> openGroups() throws IOException {
    load();
    return openGroups;
  }

  /** Rules for taking a device from its driver and giving it to {@code target}. */
  public List<Refusal> forBind(DeviceFacts d, String target) throws IOException {
    load();
    List<Refusal> out = new ArrayList<>();
    PciAddress a = d.address();
    if (target.equals(d.binding().driver())) {
      return out; // already there: nothing is taken away
    }
    if (d.iommuGroup() == null && VfioDrivers.isVfio(target)) {
      out.add(
          new Refusal(
              a,
              Refusal.Rule.NO_IOMMU_GROUP,
              "has no IOMMU group: the IOMMU is off or does not cover it (x86: intel_iommu=on or"
                  + " amd_iommu=on on the kernel command line); vfio-pci would fail to probe"));
    }
    if (d.isBridgeClass()) {
      out.add(
          new Refusal(
              a,
              Refusal.Rule.BRIDGE,
              String.format(
                  Locale.ROOT,
                  "is a bridge (class 0x%06x): it carries other devices' traffic and cannot be"
                      + " passed through",
                  d.classCode())));
    }
    if (d.bootVga()) {
      out.add(
          new Refusal(
              a,
              Refusal.Rule.BOOT_VGA,
              "is the boot VGA device (boot_vga = 1): the console and display manager run on it"));
    }
    usersOf(a, out);
    if (d.numVfs() > 0 || !d.virtfns().isEmpty()) {
      List<String> inUse = new ArrayList<>();
      for (PciAddress vf : d.virtfns()) {
        Binding b = reader.binding(vf);
        Integer g = reader.group(vf).orElse(null);
        if (g != null && openGroups.containsKey(g)) {
          inUse.add(vf + " (group " + g + " open by " + String.join(", ", openGroups.get(g)) + ")");
        } else if (b.hasDriver()) {
          inUse.add(vf + " (" + b.driver() + ")");
        }
        usersOf(vf, out);
      }
      if (!inUse.isEmpty()) {
        out.add(
            new Refusal(
                a,
                Refusal.Rule.VFS_IN_USE,
                "is an SR-IOV PF whose VFs are in use: " + String.join(", ", inUse)));
      }
      if (VfioDrivers.isVfio(target)) {
        out.add(
            new Refusal(
                a,
                Refusal.Rule.SRIOV_ENABLED,
                "has "
                    + Math.max(d.numVfs(), d.virtfns().size())
                    + " VFs enabled: vfio-pci refuses a PF with SR-IOV enabled (\"Cannot bind to PF"
                    + " with SR-IOV enabled\"); disable the VFs first (echo 0 > sriov_numvfs)"));
      }
    }
    groupOpen(d, out);
    driverctl
        .overrideFor(a)
        .filter(o -> !o.equals(target))
        .ifPresent(
            o ->
                out.add(
                    new Refusal(
                        a,
                        Refusal.Rule.DRIVERCTL,
                        "has a driverctl override to "
                            + o
                            + " ("
                            + driverctl.fileFor(a)
                            + "), which driverctl re-applies at boot and on hotplug; run"
                            + " 'driverctl unset-override "
                            + a
                            + "' first")));
    return out;
  }

  /** Rules for releasing a device from its VFIO driver. */
  public List<Refusal> forRelease(DeviceFacts d) throws IOException {
    load();
    List<Refusal> out = new ArrayList<>();
    groupOpen(d, out);
    driverctl
        .overrideFor(d.address())
        .ifPresent(
            o ->
                out.add(
                    new Refusal(
                        d.address(),
                        Refusal.Rule.DRIVERCTL,
                        "is bound by a driverctl override to "
                            + o
                            + " ("
                            + driverctl.fileFor(d.address())
                            + "); use 'driverctl unset-override "
                            + d.address()
                            + "' instead")));
    return out;
  }

  private void groupOpen(DeviceFacts d, List<Refusal> out) {
    Integer g = d.iommuGroup();
    if (g != null && openGroups.containsKey(g) && VfioDrivers.isVfio(d.binding().driver())) {
      out.add(
          new Refusal(
              d.address(),
              Refusal.Rule.GROUP_OPEN,
              "its VFIO group "
                  + g
                  + " is open by "
                  + String.join(", ", openGroups.get(g))
                  + " (a running VM?): the kernel answers EBUSY; stop the VM or detach the device"
                  + " first"));
    }
  }

  private void usersOf(PciAddress a, List<Refusal> out) throws IOException {
    DeviceChildren c = DeviceChildren.of(sysfs, a);
    for (DeviceChildren.Block b : c.blocks()) {
      if (mounted.contains(b.name())) {
        out.add(
            new Refusal(a, Refusal.Rule.MOUNTED, "has block device /dev/" + b.name() + " mounted"));
      }
      if (swaps.contains(b.name())) {
        out.add(
            new Refusal(
                a, Refusal.Rule.SWAP, "has block device /dev/" + b.name() + " in use as swap"));
      }
      List<String> holders = DeviceChildren.holders(sysfs, b);
      if (!holders.isEmpty()) {
        out.add(
            new Refusal(
                a,
                Refusal.Rule.HELD,
                "has block device /dev/"
                    + b.name()
                    + " held by "
                    + String.join(", ", holders)
                    + " (md/dm/LVM)"));
      }
    }
    for (String nic : c.interfaces()) {
      if (defaultRoute.contains(nic)) {
        out.add(
            new Refusal(
                a,
                Refusal.Rule.DEFAULT_ROUTE,
                "has network interface " + nic + " carrying the default route"));
      } else if (addressed.contains(nic)) {
        out.add(
            new Refusal(
                a,
                Refusal.Rule.NET_ADDRESS,
                "has network interface " + nic + " with an IP address configured"));
      }
    }
  }
}
