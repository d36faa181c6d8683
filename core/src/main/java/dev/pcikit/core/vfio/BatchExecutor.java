package dev.pcikit.core.vfio;

import dev.pcikit.core.model.PciAddress;
import dev.pcikit.core.sysfs.Sysfs;
import dev.pcikit.core.sysfs.SysfsException;
import dev.pcikit.core.vfio.Steps.Step;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs transitions step by step over a whole batch of devices: every device's override first, then
 * every unbind, every probe, every settle, then one verification pass. The journal is written once
 * before each step batch (not once per device), which keeps bulk binds of hundreds of VFs cheap and
 * stays crash-safe because recovery re-runs {@link Steps} from whatever state each device is in.
 *
 * <p>Only {@link IOException}s are failures. Anything else (a simulated crash, an OOM) is not
 * caught: like kill -9, it leaves the journal for {@link Recovery}.
 */
final class BatchExecutor {

  /**
   * What a restore did to one device.
   *
   * @param done whether the device is back where it was (or gone: nothing to restore)
   * @param what the sentence for the user
   */
  record Restored(boolean done, String what) {
    @Override
    public String toString() {
      return what;
    }
  }

  /** What went wrong, on which device and at which step. */
  record Failure(PciAddress address, Step step, String message) {
    String describe() {
      return address + " at step " + step.label() + ": " + message;
    }
  }

  private final Sysfs sysfs;
  private final DeviceReader reader;
  private final Journal journal;
  private final ModuleLoader modules;

  BatchExecutor(Sysfs sysfs, Journal journal, ModuleLoader modules) {
    this.sysfs = sysfs;
    this.reader = new DeviceReader(sysfs);
    this.journal = journal;
    this.modules = modules;
  }

  /**
   * Runs the entry's transitions forward; stops at the first failure and returns it. The entry is
   * pushed onto the journal before the first step and stays on top (the caller pops it).
   */
  Optional<Failure> forward(Journal.BindingEntry entry) throws IOException {
    boolean pushed = false;
    for (Step step : Steps.WRITE_STEPS) {
      if (pushed) {
        journal.replaceTop(entry.with(entry.phase(), step.label()));
      } else {
        journal.push(entry.with(entry.phase(), step.label()));
        pushed = true;
      }
      for (Transition t : entry.transitions()) {
        Optional<Failure> f = apply(step, t.address(), t.to());
        if (f.isPresent()) {
          return f;
        }
      }
    }
    journal.replaceTop(entry.with(entry.phase(), Step.VERIFY.label()));
    for (Transition t : entry.transitions()) {
      Optional<Failure> f = verify(t.address(), t.to());
      if (f.isPresent()) {
        return f;
      }
    }
    return Optional.empty();
  }

  /**
   * Brings every device back to its transition's {@code from} binding, best effort: a device that
   * fails is retried (restores are idempotent), a vanished one is reported and skipped. Returns,
   * per device, what happened.
   */
  Map<PciAddress, Restored> restore(Journal.BindingEntry entry, int attempts) throws IOException {
    Map<PciAddress, Restored> outcome = new LinkedHashMap<>();
    List<Transition> todo = new ArrayList<>();
    for (Transition t : entry.transitions()) {
      todo.add(t.undo());
    }
    for (int attempt = 1; attempt <= attempts && !todo.isEmpty(); attempt++) {
      Map<PciAddress, Failure> failed = new LinkedHashMap<>();
      for (Step step : Steps.WRITE_STEPS) {
        journal.replaceTop(entry.with(Journal.Phase.ROLLBACK, step.label()));
        for (Transition t : todo) {
          if (failed.containsKey(t.address())) {
            continue;
          }
          if (!reader.exists(t.address())) {
            outcome.put(
                t.address(),
                new Restored(true, "vanished (removed from the bus): nothing to restore"));
            failed.put(t.address(), null);
            continue;
          }
          apply(step, t.address(), t.to()).ifPresent(f -> failed.put(t.address(), f));
        }
      }
      List<Transition> next = new ArrayList<>();
      for (Transition t : todo) {
        Failure f = failed.get(t.address());
        if (f == null && failed.containsKey(t.address())) {
          continue; // vanished
        }
        if (f == null) {
          f = verify(t.address(), t.to()).orElse(null);
        }
        if (f == null) {
          outcome.put(t.address(), new Restored(true, "restored to " + t.to().describe()));
        } else {
          outcome.put(
              t.address(),
              new Restored(false, "FAILED to restore " + t.to().describe() + ": " + f.describe()));
          next.add(t);
        }
      }
      todo = next;
    }
    return outcome;
  }

  private Optional<Failure> apply(Step step, PciAddress a, Target t) {
    try {
      if (step == Step.PROBE
          && t.driver() != null
          && !t.driver().equals(reader.binding(a).driver())
          && !sysfs.exists("bus/pci/drivers/" + t.driver())) {
        modules.load(t.driver());
      }
      for (WriteOp w : Steps.writes(step, a, reader.binding(a), t)) {
        sysfs.write(w.path(), w.value());
      }
      return Optional.empty();
    } catch (IOException e) {
      String why = e.getMessage();
      if (!reader.exists(a)) {
        why = "device vanished (" + why + ")";
      } else if (e instanceof SysfsException se) {
        why =
            se.detail().contains("outside the sysfs root")
                ? "refused to write " + se.path() + ": it " + se.detail()
                : "the kernel answered "
                    + se.errno()
                    + " ("
                    + se.errno().text()
                    + ") to "
                    + se.path();
      }
      return Optional.of(new Failure(a, step, why));
    }
  }

  private Optional<Failure> verify(PciAddress a, Target t) {
    if (!reader.exists(a)) {
      return Optional.of(new Failure(a, Step.VERIFY, "device vanished"));
    }
    Binding now = reader.binding(a);
    if (Steps.reached(now, t)) {
      return Optional.empty();
    }
    String msg =
        t.driver() != null && !t.driver().equals(now.driver())
            ? "the driver link reads "
                + (now.driver() == null ? "no driver" : now.driver())
                + " after the probe, not "
                + t.driver()
                + " (the probe failed; the kernel log says why)"
            : "reads " + now.describe() + ", expected " + t.describe();
    return Optional.of(new Failure(a, Step.VERIFY, msg));
  }
}
