package dev.pcikit.core.vfio;

import dev.pcikit.core.model.PciAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The writes that move one device towards its target, step by step. Every step is computed from the
 * device's binding now, so running the steps again from any intermediate state (after a crash,
 * during rollback) converges on the target: that is what makes recovery a plain re-run.
 *
 * <p>Order, as the kernel requires (Documentation/ABI/testing/sysfs-bus-pci):
 *
 * <ol>
 *   <li>override: {@code driver_override} := the target driver, so that the probe below can only
 *       bind that one (an empty write clears it);
 *   <li>unbind: {@code driver/unbind} := BDF when bound to another driver (unbinding never triggers
 *       a new probe);
 *   <li>probe: {@code bus/pci/drivers_probe} := BDF: the kernel binds the override's driver (or,
 *       with no override, the best id-table match). The write succeeds even when the probe fails;
 *   <li>settle: {@code driver_override} := the target's own override when it differs (restoring a
 *       device that was bound without one);
 *   <li>verify: read the {@code driver} link back (done by {@link BatchExecutor}).
 * </ol>
 */
public final class Steps {
  private Steps() {}

  /** The write steps of a transition, in the order they run for every device. */
  public enum Step {
    OVERRIDE,
    UNBIND,
    PROBE,
    SETTLE,
    VERIFY;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  static final List<Step> WRITE_STEPS =
      List.of(Step.OVERRIDE, Step.UNBIND, Step.PROBE, Step.SETTLE);

  /**
   * What clears {@code driver_override}: a lone newline (driver_set_override() cuts the value at
   * the first newline and an empty value clears it). An empty write would change nothing: the
   * kernel's sysfs_kf_write() returns 0 for a zero-length write without calling the attribute's
   * store(), so the override stayed set (seen in the x86 lab: release left "vfio-pci").
   */
  static final String CLEAR = "\n";

  static String devicePath(PciAddress a, String attr) {
    return DeviceReader.dir(a) + "/" + attr;
  }

  /** The override set before probing: the target driver, or the final override when none. */
  static String probeOverride(Target t) {
    if (t.kernelChoice()) {
      return null;
    }
    return t.driver() != null ? t.driver() : t.override();
  }

  public static List<WriteOp> writes(Step step, PciAddress a, Binding now, Target t) {
    List<WriteOp> out = new ArrayList<>(1);
    switch (step) {
      case OVERRIDE -> {
        String o = probeOverride(t);
        if (!Objects.equals(now.override(), o)) {
          out.add(new WriteOp(devicePath(a, "driver_override"), o == null ? CLEAR : o));
        }
      }
      case UNBIND -> {
        if (now.hasDriver() && (t.kernelChoice() || !now.driver().equals(t.driver()))) {
          out.add(new WriteOp(devicePath(a, "driver/unbind"), a.toString()));
        }
      }
      case PROBE -> {
        boolean wanted =
            t.kernelChoice()
                ? !now.hasDriver()
                : t.driver() != null && !t.driver().equals(now.driver());
        if (wanted) {
          out.add(new WriteOp("bus/pci/drivers_probe", a.toString()));
        }
      }
      case SETTLE -> {
        String o = t.kernelChoice() ? null : t.override();
        if (!Objects.equals(now.override(), o)) {
          out.add(new WriteOp(devicePath(a, "driver_override"), o == null ? CLEAR : o));
        }
      }
      case VERIFY -> {}
    }
    return out;
  }

  /** The binding a step leaves when the kernel does what is asked (for --dry-run). */
  static Binding predict(Step step, Binding now, Target t) {
    return switch (step) {
      case OVERRIDE -> new Binding(now.driver(), probeOverride(t));
      case UNBIND -> writesNothing(Step.UNBIND, now, t) ? now : new Binding(null, now.override());
      case PROBE ->
          writesNothing(Step.PROBE, now, t)
              ? now
              : new Binding(t.kernelChoice() ? "(kernel's choice)" : t.driver(), now.override());
      case SETTLE -> new Binding(now.driver(), t.kernelChoice() ? null : t.override());
      case VERIFY -> now;
    };
  }

  private static boolean writesNothing(Step s, Binding now, Target t) {
    return writes(s, new PciAddress(0, 0, 0, 0), now, t).isEmpty();
  }

  /** Whether a device's binding satisfies the target (the verify step). */
  static boolean reached(Binding now, Target t) {
    if (t.kernelChoice()) {
      // Whatever the kernel picked, as long as it is not a VFIO driver held by a stale override.
      return now.override() == null;
    }
    return Objects.equals(now.driver(), t.driver()) && Objects.equals(now.override(), t.override());
  }
}
