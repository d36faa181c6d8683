package dev.pcikit.core.vfio;

import java.util.Objects;

/**
 * What a device is bound to: its driver (null = none) and its driver_override (null = unset, which
 * the kernel shows as "(null)").
 */
public record Binding(String driver, String override) {

  public static final Binding NONE = new Binding(null, null);

  public boolean hasDriver() {
    return driver != null;
  }

  public boolean sameAs(Binding other) {
    return Objects.equals(driver, other.driver) && Objects.equals(override, other.override);
  }

  /** "nvme", "no driver", with the override when set: "vfio-pci (override vfio-pci)". */
  public String describe() {
    String d = driver == null ? "no driver" : driver;
    return override == null ? d : d + " (override " + override + ")";
  }

  /** Journal / state file form: driver and override, '-' for none. */
  String encode() {
    return (driver == null ? "-" : driver) + " " + (override == null ? "-" : override);
  }

  static Binding decode(String driver, String override) {
    return new Binding(driver.equals("-") ? null : driver, override.equals("-") ? null : override);
  }
}
