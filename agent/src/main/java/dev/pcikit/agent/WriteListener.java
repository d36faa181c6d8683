package dev.pcikit.agent;

import java.time.Duration;

/**
 * Told of every write the agent finished (metrics: durations, refusals and failures by reason;
 * events: a rescan after a change). Called on the writer thread; must not block.
 */
@FunctionalInterface
public interface WriteListener {
  /**
   * @param operation bind, release, sriov-enable, sriov-disable, recover
   * @param dryRun whether it was a dry run (nothing changed)
   * @param took how long it ran (under the lock, for a real write)
   * @param status the HTTP status of its reply
   * @param failure the failure name when it failed (REFUSED, KERNEL_REFUSED...), else null
   */
  void written(String operation, boolean dryRun, Duration took, int status, String failure);

  /**
   * A write was refused by the host-safety rules: called after {@link #written}, with the rule of
   * each refused device ({@code MOUNTED}, {@code GROUP_NOT_VIABLE}...).
   */
  default void refused(String operation, java.util.List<String> rules) {}
}
