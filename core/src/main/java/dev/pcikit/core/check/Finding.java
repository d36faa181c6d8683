package dev.pcikit.core.check;

/**
 * One result of a check.
 *
 * @param code a stable identifier for machines ("iommu-enabled", "group-shared", ...)
 * @param verdict ok, warning or blocking
 * @param subject "host", a BDF, or a module name
 * @param message what was found, in one sentence
 * @param fix what to do about it; empty when nothing is needed
 */
public record Finding(String code, Verdict verdict, String subject, String message, String fix) {

  public static Finding ok(String code, String subject, String message) {
    return new Finding(code, Verdict.OK, subject, message, "");
  }

  public static Finding warning(String code, String subject, String message, String fix) {
    return new Finding(code, Verdict.WARNING, subject, message, fix);
  }

  public static Finding blocking(String code, String subject, String message, String fix) {
    return new Finding(code, Verdict.BLOCKING, subject, message, fix);
  }

  public boolean blocking() {
    return verdict == Verdict.BLOCKING;
  }
}
