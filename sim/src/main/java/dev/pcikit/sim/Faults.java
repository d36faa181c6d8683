package dev.pcikit.sim;

import dev.pcikit.core.sysfs.Errno;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * A fault plan for the simulated kernel. Steps are the kernel's write calls, counted from 1. All
 * faults are deterministic: the same plan (and seed) and the same sequence of writes give the same
 * failures.
 */
public final class Faults {
  private record WriteFault(String suffix, int nth, Errno errno) {}

  private record ProbeFault(String bdf, String driver, Errno errno) {}

  private final List<WriteFault> writeFaults = new ArrayList<>();
  private final Map<String, Integer> writesSeen = new HashMap<>();
  private final List<ProbeFault> probeFaults = new ArrayList<>();
  private final Map<Integer, List<String>> removals = new HashMap<>();
  private final Map<Integer, List<Integer>> freezes = new HashMap<>();
  private int crashAfter = -1;
  private Random random;
  private double probability;
  private List<Errno> randomErrnos = List.of();

  /**
   * Makes the {@code nth} write (1-based) to an attribute fail with {@code errno}, without effect.
   * The attribute is named by the end of its path ({@code sriov_numvfs}, {@code
   * drivers/vfio-pci/bind}, {@code 0000:01:00.0/driver_override}), matched on the canonical path.
   */
  public Faults failWrite(String pathSuffix, int nth, Errno errno) {
    writeFaults.add(new WriteFault(pathSuffix, nth, errno));
    return this;
  }

  /** Makes probes of a device fail with an errno; {@code driver} null means by any driver. */
  public Faults failProbe(String bdf, String driver, Errno errno) {
    probeFaults.add(new ProbeFault(bdf, driver, errno));
    return this;
  }

  /** Surprise-removes a device (hot unplug) just before write number {@code step}. */
  public Faults removeBeforeStep(int step, String bdf) {
    removals.computeIfAbsent(step, k -> new ArrayList<>()).add(bdf);
    return this;
  }

  /** Freezes an EEH PE just before write number {@code step}. */
  public Faults freezeBeforeStep(int step, int pe) {
    freezes.computeIfAbsent(step, k -> new ArrayList<>()).add(pe);
    return this;
  }

  /** Lets writes 1..k happen, then throws {@link SimulatedCrash} at write k+1 (no effect). */
  public Faults crashAfterStep(int k) {
    this.crashAfter = k;
    return this;
  }

  /**
   * Fails each write with the given probability, with an errno drawn from {@code errnos}, using a
   * {@link Random} seeded with {@code seed}: a reproducible chaos run.
   */
  public Faults randomWriteFailures(long seed, double probability, List<Errno> errnos) {
    this.random = new Random(seed);
    this.probability = probability;
    this.randomErrnos = List.copyOf(errnos);
    return this;
  }

  // ---- used by SimKernel ----------------------------------------------------------------------

  boolean crashes(int step) {
    return crashAfter >= 0 && step > crashAfter;
  }

  List<String> removalsBefore(int step) {
    return removals.getOrDefault(step, List.of());
  }

  List<Integer> freezesBefore(int step) {
    return freezes.getOrDefault(step, List.of());
  }

  Optional<Errno> writeFault(String canonicalPath) {
    for (WriteFault f : writeFaults) {
      if (canonicalPath.endsWith(f.suffix())) {
        int n = writesSeen.merge(f.suffix() + "#" + writeFaults.indexOf(f), 1, Integer::sum);
        if (n == f.nth()) {
          return Optional.of(f.errno());
        }
      }
    }
    if (random != null && !randomErrnos.isEmpty()) {
      double r = random.nextDouble();
      Errno e = randomErrnos.get(random.nextInt(randomErrnos.size()));
      if (r < probability) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  Optional<Errno> probeFault(String bdf, String driver) {
    for (ProbeFault f : probeFaults) {
      if (f.bdf().equals(bdf) && (f.driver() == null || f.driver().equals(driver))) {
        return Optional.of(f.errno());
      }
    }
    return Optional.empty();
  }
}
