package dev.pcikit.core.vfio;

/**
 * Where a device should end up: a driver (null = none) and an override, or — for a release without
 * a recorded prior driver — whatever the kernel picks once the override is cleared.
 */
public record Target(String driver, String override, boolean kernelChoice) {

  public static Target of(Binding b) {
    return new Target(b.driver(), b.override(), false);
  }

  public static Target vfio(String driver) {
    return new Target(driver, driver, false);
  }

  public static final Target KERNEL_CHOICE = new Target(null, null, true);

  public String describe() {
    return kernelChoice ? "the kernel's choice" : new Binding(driver, override).describe();
  }

  String encode() {
    return kernelChoice ? "* -" : new Binding(driver, override).encode();
  }

  static Target decode(String driver, String override) {
    return driver.equals("*") ? KERNEL_CHOICE : of(Binding.decode(driver, override));
  }
}
