package dev.pcikit.core.check;

import dev.pcikit.core.inventory.Inventory;
import dev.pcikit.core.sysfs.Sysfs;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Host readiness for VFIO: is there an IOMMU and is it on, are interrupts remapped, are the vfio
 * modules there, is {@code allow_unsafe_interrupts} set.
 *
 * <p>What it relies on, all readable without root:
 *
 * <ul>
 *   <li>IOMMU on: {@code kernel/iommu_groups} has groups (the kernel creates them only when an
 *       IOMMU driver is active), and the command line's {@code intel_iommu}, {@code amd_iommu},
 *       {@code iommu} options.
 *   <li>Interrupt remapping on Intel: bit 3 (IR) of each DMAR unit's extended capability register,
 *       {@code class/iommu/dmarN/intel-iommu/ecap} (VT-d spec 11.4.3, {@code ecap_ir_support} in
 *       drivers/iommu/intel/iommu.h), unless {@code intremap=off}/{@code nointremap} turns it off.
 *       On AMD every AMD-Vi unit remaps interrupts, so only the command line can turn it off. No
 *       dmesg is read: it needs root and rotates away.
 *   <li>vfio_iommu_type1 refuses groups without MSI isolation unless {@code
 *       allow_unsafe_interrupts} (drivers/vfio/vfio_iommu_type1.c); POWER's spapr TCE backend and
 *       s390x zPCI don't use interrupt remapping at all.
 * </ul>
 */
final class HostChecks {
  static final String HOST = "host";

  private final Sysfs sysfs;
  private final HostEnvironment env;

  public HostChecks(Sysfs sysfs, HostEnvironment env) {
    this.sysfs = sysfs;
    this.env = env;
  }

  public List<Finding> run(Inventory inv) {
    Arch arch = env.arch();
    Optional<KernelCommandLine> cmdline = env.kernelCommandLine().map(KernelCommandLine::parse);
    List<Finding> out = new ArrayList<>();
    out.add(iommu(inv, arch, cmdline));
    out.add(commandLine(cmdline));
    boolean unsafeAllowed = unsafeInterruptsAllowed(cmdline);
    out.add(interruptRemapping(arch, cmdline, unsafeAllowed));
    boolean vfioPciUsable = env.module("vfio_pci").usable();
    for (String m : modulesFor(arch)) {
      out.add(module(m, vfioPciUsable));
    }
    if (arch != Arch.POWER) {
      out.add(allowUnsafe(cmdline, unsafeAllowed));
    }
    return out;
  }

  /** vfio_pci needs vfio and an IOMMU backend: spapr TCE on POWER, type1 elsewhere. */
  static List<String> modulesFor(Arch arch) {
    return arch == Arch.POWER
        ? List.of("vfio", "vfio_iommu_spapr_tce", "vfio_pci")
        : List.of("vfio", "vfio_iommu_type1", "vfio_pci");
  }

  private int groupCount(Inventory inv) {
    try {
      if (sysfs.exists("kernel/iommu_groups")) {
        int n = sysfs.list("kernel/iommu_groups").size();
        if (n > 0) {
          return n;
        }
      }
    } catch (IOException e) {
      // fall back to the groups the devices link to
    }
    return inv.groups().size();
  }

  private Finding iommu(Inventory inv, Arch arch, Optional<KernelCommandLine> cmdline) {
    int groups = groupCount(inv);
    if (groups > 0) {
      return Finding.ok(
          "iommu-enabled",
          HOST,
          "IOMMU on: "
              + groups
              + (groups == 1 ? " IOMMU group" : " IOMMU groups")
              + (arch == Arch.POWER ? " (partitionable endpoints)" : ""));
    }
    Optional<String> off =
        cmdline.flatMap(
            c -> {
              if (c.listContains("intel_iommu", "off")) {
                return Optional.of("intel_iommu=off");
              }
              if (c.listContains("amd_iommu", "off")) {
                return Optional.of("amd_iommu=off");
              }
              if (c.listContains("iommu", "off")) {
                return Optional.of("iommu=off");
              }
              return Optional.empty();
            });
    if (off.isPresent()) {
      return Finding.blocking(
          "iommu-enabled",
          HOST,
          "no IOMMU groups: the kernel command line turns the IOMMU off (" + off.get() + ")",
          "remove " + off.get() + " from the kernel command line and reboot");
    }
    String fix =
        switch (arch) {
          case X86 ->
              iommuUnits("dmar").isEmpty()
                  ? "enable VT-d (Intel) or AMD-Vi/IOMMU (AMD) in the firmware setup; on Intel also"
                      + " add intel_iommu=on to the kernel command line; reboot"
                  : "add intel_iommu=on to the kernel command line (kernels built without"
                      + " CONFIG_INTEL_IOMMU_DEFAULT_ON leave VT-d off) and reboot";
          case POWER ->
              "the platform exposes no PEs: on pseries give the LPAR its I/O slots (HMC/KVM host);"
                  + " check the kernel has CONFIG_SPAPR_TCE_IOMMU";
          case S390X ->
              "zPCI functions get groups from the s390 IOMMU driver: check CONFIG_S390_IOMMU and"
                  + " that PCI functions are configured for this LPAR";
          case ARM ->
              "enable the SMMU in the firmware (ACPI IORT / device tree) and check the kernel has"
                  + " CONFIG_ARM_SMMU_V3";
          case UNKNOWN -> "enable the IOMMU in the firmware and on the kernel command line";
        };
    return Finding.blocking(
        "iommu-enabled", HOST, "no IOMMU groups: the IOMMU is off or absent", fix);
  }

  private Finding commandLine(Optional<KernelCommandLine> cmdline) {
    if (cmdline.isEmpty()) {
      return Finding.warning(
          "kernel-cmdline",
          HOST,
          "the kernel command line (proc/cmdline) is not readable",
          "check that ROOT/proc is mounted");
    }
    List<String> rel = cmdline.get().relevant();
    StringBuilder msg = new StringBuilder("kernel command line: ");
    msg.append(rel.isEmpty() ? "no IOMMU or VFIO options" : String.join(" ", rel));
    if (cmdline.get().listContains("iommu", "pt") || cmdline.get().has("iommu.passthrough")) {
      msg.append(
          " (passthrough mode: host devices skip translation, VFIO devices are still"
              + " isolated)");
    }
    if (cmdline.get().has("pcie_acs_override")) {
      return Finding.warning(
          "kernel-cmdline",
          HOST,
          msg + "; pcie_acs_override splits groups the hardware does not isolate",
          "devices in falsely split groups can reach each other's memory: remove"
              + " pcie_acs_override unless every device involved is trusted");
    }
    return Finding.ok("kernel-cmdline", HOST, msg.toString());
  }

  private Finding interruptRemapping(
      Arch arch, Optional<KernelCommandLine> cmdline, boolean unsafeAllowed) {
    String code = "interrupt-remapping";
    switch (arch) {
      case POWER:
        return Finding.ok(
            code,
            HOST,
            "not applicable on POWER: each PE's MSIs are validated by the PHB, and vfio's spapr"
                + " TCE backend does not depend on interrupt remapping");
      case S390X:
        return Finding.ok(
            code,
            HOST,
            "not applicable on s390x: zPCI functions signal adapter interrupts that firmware"
                + " delivers per function");
      case ARM:
        return Finding.warning(
            code,
            HOST,
            "not checked on ARM: MSI isolation needs a GICv3 ITS behind the SMMU",
            "check that the guest's groups attach (vfio reports 'No interrupt remapping support')");
      case UNKNOWN:
        return Finding.warning(
                code, HOST, "not checked: the architecture is unknown", "check on the host itself")
            .with(FixAction.checkOnHost(false));
      default:
        break;
    }
    Optional<String> disabled =
        cmdline.flatMap(
            c -> {
              if (c.listContains("intremap", "off")) {
                return Optional.of("intremap=off");
              }
              if (c.has("nointremap")) {
                return Optional.of("nointremap");
              }
              return Optional.empty();
            });
    String unsafeFix =
        "enable interrupt remapping (VT-d/AMD-Vi with x2APIC) in the firmware; only as a last"
            + " resort, with trusted guests, set vfio_iommu_type1.allow_unsafe_interrupts=1";
    if (disabled.isPresent()) {
      return missingRemapping(
          code,
          "interrupt remapping is turned off on the kernel command line (" + disabled.get() + ")",
          "remove " + disabled.get() + " from the kernel command line and reboot",
          unsafeAllowed);
    }
    List<String> dmar = iommuUnits("dmar");
    if (!dmar.isEmpty()) {
      List<String> without = new ArrayList<>();
      List<String> unknown = new ArrayList<>();
      for (String unit : dmar) {
        Optional<Long> ecap = unitAttr(unit, "intel-iommu/ecap").flatMap(HostChecks::hex);
        if (ecap.isEmpty()) {
          unknown.add(unit);
        } else if ((ecap.get() & (1L << 3)) == 0) {
          without.add(unit);
        }
      }
      if (!without.isEmpty()) {
        return missingRemapping(
            code,
            String.join(", ", without)
                + " cannot remap interrupts (ECAP.IR = 0): vfio_iommu_type1 refuses to attach"
                + " groups (\"No interrupt remapping support\")",
            unsafeFix,
            unsafeAllowed);
      }
      if (!unknown.isEmpty()) {
        return Finding.warning(
            code,
            HOST,
            "cannot tell: intel-iommu/ecap of " + String.join(", ", unknown) + " is not readable",
            "check 'DMAR-IR: Enabled IRQ remapping' in the kernel log");
      }
      return Finding.ok(
          code,
          HOST,
          "supported by all "
              + dmar.size()
              + " VT-d unit(s) (ECAP.IR) and not turned off on the command line");
    }
    if (!iommuUnits("ivhd").isEmpty()) {
      return Finding.ok(
          code,
          HOST,
          "AMD-Vi remaps interrupts (every AMD IOMMU supports it) and the command line does not"
              + " turn it off");
    }
    return Finding.warning(
        code,
        HOST,
        "cannot tell: no VT-d or AMD-Vi unit under class/iommu",
        "check 'IRQ remapping' in the kernel log; without it vfio_iommu_type1 refuses groups");
  }

  private static Finding missingRemapping(
      String code, String message, String fix, boolean unsafeAllowed) {
    if (unsafeAllowed) {
      return Finding.warning(
          code,
          HOST,
          message + "; allow_unsafe_interrupts lets VFIO go on, but a guest can forge MSIs",
          fix);
    }
    return Finding.blocking(code, HOST, message, fix);
  }

  private boolean unsafeInterruptsAllowed(Optional<KernelCommandLine> cmdline) {
    Optional<String> param =
        sysfs.attr("module/vfio_iommu_type1/parameters/allow_unsafe_interrupts");
    if (param.isPresent()) {
      return isTrue(param.get());
    }
    return cmdline
        .flatMap(c -> c.get("vfio_iommu_type1.allow_unsafe_interrupts"))
        .map(HostChecks::isTrue)
        .orElse(false);
  }

  private Finding allowUnsafe(Optional<KernelCommandLine> cmdline, boolean allowed) {
    String code = "allow-unsafe-interrupts";
    Optional<String> param =
        sysfs.attr("module/vfio_iommu_type1/parameters/allow_unsafe_interrupts");
    if (allowed) {
      return Finding.warning(
          code,
          HOST,
          "vfio_iommu_type1 allow_unsafe_interrupts is on"
              + (param.isPresent() ? "" : " (kernel command line)")
              + ": groups attach without MSI isolation, so a guest can inject interrupts into the"
              + " host",
          "turn it off (remove allow_unsafe_interrupts from the kernel command line and"
              + " /etc/modprobe.d) unless the platform truly lacks interrupt remapping");
    }
    return Finding.ok(
        code,
        HOST,
        param.isPresent()
            ? "vfio_iommu_type1 allow_unsafe_interrupts is off"
            : "allow_unsafe_interrupts is not set (vfio_iommu_type1 not loaded; default off)");
  }

  private Finding module(String name, boolean vfioPciUsable) {
    ModuleState s = env.module(name);
    if (s == ModuleState.UNKNOWN && name.equals("vfio") && vfioPciUsable) {
      // vfio_pci depends on vfio (through vfio_pci_core since 5.16): usable when vfio_pci is.
      return Finding.ok("vfio-module", name, "vfio is there (vfio_pci depends on it)");
    }
    String release = env.kernelRelease().orElse("the running kernel");
    return switch (s) {
      case BUILTIN -> Finding.ok("vfio-module", name, name + " is built into the kernel");
      case LOADED -> Finding.ok("vfio-module", name, name + " is loaded");
      case AVAILABLE ->
          Finding.ok(
              "vfio-module", name, name + " is installed for " + release + " (loaded on demand)");
      case ABSENT ->
          Finding.blocking(
              "vfio-module",
              name,
              name + " is neither built in nor installed for " + release,
              "install the kernel's module package (Debian: linux-image-" + release + ")");
      case UNKNOWN ->
          Finding.warning(
              "vfio-module",
              name,
              name + ": cannot tell (module lists of " + release + " not readable)",
              "check with 'modinfo " + name + "'");
    };
  }

  /**
   * IOMMU units (dmarN, ivhdN) by name. class/iommu links to devices/virtual/iommu; recordings
   * sometimes keep only the latter (the devices' {@code iommu} links point there).
   */
  private List<String> iommuUnits(String prefix) {
    for (String base : List.of("class/iommu", UNITS)) {
      try {
        if (sysfs.exists(base)) {
          List<String> l = sysfs.list(base).stream().filter(n -> n.startsWith(prefix)).toList();
          if (!l.isEmpty()) {
            return l;
          }
        }
      } catch (IOException e) {
        // try the next place
      }
    }
    try {
      // Recordings may lack both; the devices' iommu links still name the units.
      java.util.TreeSet<String> named = new java.util.TreeSet<>();
      for (String d : sysfs.list("bus/pci/devices")) {
        sysfs
            .linkName("bus/pci/devices/" + d + "/iommu")
            .filter(n -> n.startsWith(prefix))
            .ifPresent(named::add);
      }
      return List.copyOf(named);
    } catch (IOException e) {
      return List.of();
    }
  }

  private static final String UNITS = "devices/virtual/iommu";

  private Optional<String> unitAttr(String unit, String attr) {
    Optional<String> v = sysfs.attr("class/iommu/" + unit + "/" + attr);
    return v.isPresent() ? v : sysfs.attr(UNITS + "/" + unit + "/" + attr);
  }

  static Optional<Long> hex(String s) {
    String t = s.strip();
    if (t.startsWith("0x") || t.startsWith("0X")) {
      t = t.substring(2);
    }
    try {
      return Optional.of(Long.parseUnsignedLong(t, 16));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  static boolean isTrue(String v) {
    String t = v.strip();
    return t.equals("Y") || t.equals("y") || t.equals("1") || t.equalsIgnoreCase("true");
  }
}
