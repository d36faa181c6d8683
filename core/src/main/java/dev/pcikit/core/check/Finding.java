package dev.pcikit.core.check;

import java.util.Objects;

/**
 * One result of a check.
 *
 * @param code a stable identifier for machines ("iommu-enabled", "group-shared", ...)
 * @param verdict ok, warning or blocking
 * @param subject "host", a BDF, or a module name
 * @param message what was found, in one sentence
 * @param fix what to do about it, in domain terms; empty when nothing is needed
 * @param action what pcikit itself can do about it, typed; {@link FixAction#NONE} when nothing
 */
public record Finding(
    String code, Verdict verdict, String subject, String message, String fix, FixAction action) {

  /**
   * A finding.
   *
   * @param code the code
   * @param verdict the verdict
   * @param subject the subject
   * @param message the message
   * @param fix the fix
   * @param action the action; null means {@link FixAction#NONE}
   */
  public Finding {
    action = Objects.requireNonNullElse(action, FixAction.NONE);
  }

  /**
   * A finding with no typed action.
   *
   * @param code the code
   * @param verdict the verdict
   * @param subject the subject
   * @param message the message
   * @param fix the fix
   */
  public Finding(String code, Verdict verdict, String subject, String message, String fix) {
    this(code, verdict, subject, message, fix, FixAction.NONE);
  }

  public static Finding ok(String code, String subject, String message) {
    return new Finding(code, Verdict.OK, subject, message, "");
  }

  public static Finding warning(String code, String subject, String message, String fix) {
    return new Finding(code, Verdict.WARNING, subject, message, fix);
  }

  public static Finding blocking(String code, String subject, String message, String fix) {
    return new Finding(code, Verdict.BLOCKING, subject, message, fix);
  }

  /**
   * This finding with a typed action.
   *
   * @param a the action
   * @return a copy with {@code a}
   */
  public Finding with(FixAction a) {
    return new Finding(code, verdict, subject, message, fix, a);
  }

  public boolean blocking() {
    return verdict == Verdict.BLOCKING;
  }
}
