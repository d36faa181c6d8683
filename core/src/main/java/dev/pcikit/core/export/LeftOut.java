package dev.pcikit.core.export;

/**
 * Something an export did not include, and why: a device that cannot be assigned, one outside what
 * the format describes, or one a limit of the format forced out.
 *
 * @param subject a BDF, a vendor:device pair, or "host"
 * @param reason one sentence
 */
public record LeftOut(String subject, String reason) {
  @Override
  public String toString() {
    return subject + ": " + reason;
  }
}
