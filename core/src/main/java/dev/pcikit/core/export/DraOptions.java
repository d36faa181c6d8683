package dev.pcikit.core.export;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;

/**
 * What the ResourceSlices are published as.
 *
 * @param driver the DRA driver that will prepare the devices (spec.driver)
 * @param pool the pool name, by convention the node name
 * @param generation the pool generation: raise it whenever a changed pool is published again, so
 *     that consumers drop the slices of the older generation
 */
public record DraOptions(String driver, String pool, long generation) {

  /** pcikit's own domain: its attributes live under it, and it is the default driver name. */
  public static final String PCIKIT_DOMAIN = "pcikit.dev";

  public DraOptions {
    // validation.go validateDriverName: a DNS subdomain of at most 63 characters
    if (driver.length() > DraLimits.MAX_DRIVER_NAME_LENGTH
        || !K8sNames.isDns1123Subdomain(driver)) {
      throw new PcikitException(
          Failure.INVALID_ARGUMENT,
          "DRA driver name '"
              + driver
              + "' is not a DNS subdomain of at most "
              + DraLimits.MAX_DRIVER_NAME_LENGTH
              + " characters");
    }
    // validation.go validatePoolName: DNS subdomains separated by '/', at most 253 characters
    boolean poolOk = !pool.isEmpty() && pool.length() <= DraLimits.MAX_POOL_NAME_LENGTH;
    for (String part : pool.split("/", -1)) {
      poolOk &= K8sNames.isDns1123Subdomain(part);
    }
    if (!poolOk) {
      throw new PcikitException(
          Failure.INVALID_ARGUMENT,
          "DRA pool name '" + pool + "' is not DNS subdomains separated by '/' (at most 253)");
    }
    if (generation < 0) {
      throw new PcikitException(Failure.INVALID_ARGUMENT, "pool generation must be 0 or more");
    }
  }
}
