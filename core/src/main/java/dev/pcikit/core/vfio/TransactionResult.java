package dev.pcikit.core.vfio;

import java.nio.file.Path;
import java.util.List;

/**
 * How a binding transaction ended, for callers that {@code switch} on it ({@link VfioEngine#run}).
 * Refusals come earlier, from planning ({@link RefusedException}).
 */
public sealed interface TransactionResult {

  /** The operation that ran. */
  Operation operation();

  /**
   * Every device reached its target and the records were written.
   *
   * @param done the transitions made (devices already at their target are left out)
   * @param notes what the caller should know (skipped devices, driver choices)
   */
  record Committed(Operation operation, List<Transition> done, List<String> notes)
      implements TransactionResult {}

  /**
   * Nothing was changed: a driver module could not be loaded before the first device write.
   *
   * @param cause why
   */
  record NotStarted(Operation operation, String cause) implements TransactionResult {}

  /**
   * A write failed and every device is back where it was.
   *
   * @param cause the failed write, with the kernel's answer
   * @param restored per device, what the rollback did
   */
  record RolledBack(Operation operation, String cause, List<String> restored)
      implements TransactionResult {}

  /**
   * A write failed and some device could not be restored; the journal is kept, and the next {@code
   * Host.lock()} (recovery) tries again.
   *
   * @param cause the failed write
   * @param restored per device, what the rollback did (failures included)
   * @param journal the journal kept for recovery
   */
  record RollbackIncomplete(Operation operation, String cause, List<String> restored, Path journal)
      implements TransactionResult {}
}
