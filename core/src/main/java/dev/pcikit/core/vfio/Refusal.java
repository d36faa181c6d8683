package dev.pcikit.core.vfio;

import dev.pcikit.core.model.PciAddress;

/** One host-safety rule that stops an operation on a device, and why. */
public record Refusal(PciAddress address, Rule rule, String reason) {

  /** The safety rules; {@code forceable} ones a caller may override ({@code force}). */
  public enum Rule {
    MOUNTED(true),
    SWAP(true),
    HELD(true),
    DEFAULT_ROUTE(true),
    NET_ADDRESS(true),
    BOOT_VGA(true),
    BRIDGE(true),
    VFS_IN_USE(true),
    SRIOV_ENABLED(false),
    GROUP_OPEN(true),
    GROUP_NOT_VIABLE(false),
    NO_IOMMU_GROUP(false),
    DRIVERCTL(true),
    NOT_BOUND_BY_PCIKIT(false);

    private final boolean forceable;

    Rule(boolean forceable) {
      this.forceable = forceable;
    }

    public boolean forceable() {
      return forceable;
    }
  }

  /** "ADDRESS: reason", marked when the rule cannot be overridden. */
  public String line() {
    return address + ": " + reason + (rule.forceable() ? "" : " (cannot be overridden)");
  }
}
