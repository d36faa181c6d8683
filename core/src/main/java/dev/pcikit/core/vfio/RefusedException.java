package dev.pcikit.core.vfio;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.error.Remedy;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A transaction refused by the host-safety rules; nothing was changed. {@link #refusals()} says
 * which rule stopped which device; the remedy is {@link Remedy#OVERRIDE_SAFETY_RULES} when every
 * refusal may be overridden.
 */
public final class RefusedException extends PcikitException {
  private final transient Operation operation;
  private final transient List<Refusal> refusals;

  public RefusedException(Operation operation, List<Refusal> refusals) {
    super(
        Failure.REFUSED,
        refusals.stream().allMatch(r -> r.rule().forceable())
            ? Remedy.OVERRIDE_SAFETY_RULES
            : Remedy.NONE,
        "refused to "
            + operation.word()
            + ": "
            + refusals.stream().map(Refusal::line).collect(Collectors.joining("; ")));
    this.operation = operation;
    this.refusals = List.copyOf(refusals);
  }

  /** The operation refused. */
  public Operation operation() {
    return operation;
  }

  /** The refusals, one per device and rule. */
  public List<Refusal> refusals() {
    return refusals;
  }
}
