package dev.pcikit.core.host;

import dev.pcikit.core.sriov.SriovPools;
import dev.pcikit.core.vfio.VfioEngine;
import dev.pcikit.core.vfio.VfioEnvironment;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Finishes or undoes what a crashed pcikit left half-done, innermost operation first: the binding
 * transaction (which an {@code sriov enable} may have been running), then the SR-IOV enable around
 * it. {@link Host#lock} runs it before handing out the host for writing, so every writer starts
 * from a host with no pending operation.
 */
public final class Recovery {
  private Recovery() {}

  /** Which kind of interrupted operation was recovered. */
  public enum Operation {
    /** A bind or release transaction of the binding engine. */
    BINDING,
    /** An SR-IOV VF-pool enable. */
    SRIOV_ENABLE
  }

  /**
   * One recovered operation.
   *
   * @param operation what had been interrupted
   * @param summary what recovery did, in a sentence ("undid an interrupted bind ...")
   */
  public record Recovered(Operation operation, String summary) {}

  /**
   * What {@link #run} would do, as shell lines (comments for what writes nothing), changing
   * nothing; empty when nothing is pending.
   */
  public static List<String> dryRun(VfioEnvironment env) throws IOException {
    List<String> out = new ArrayList<>(new VfioEngine(env).dryRunRecover());
    out.addAll(new SriovPools(env).dryRunRecover());
    return out;
  }

  /**
   * Runs recovery on a host whose lock the caller holds.
   *
   * @return what was recovered, innermost first; empty when nothing was pending
   * @throws IOException when a journal cannot be read or a restoring write fails; the journal is
   *     then kept for the next attempt
   */
  public static List<Recovered> run(VfioEnvironment env) throws IOException {
    List<Recovered> out = new ArrayList<>();
    new VfioEngine(env).recover().ifPresent(s -> out.add(new Recovered(Operation.BINDING, s)));
    new SriovPools(env).recover().ifPresent(s -> out.add(new Recovered(Operation.SRIOV_ENABLE, s)));
    return List.copyOf(out);
  }
}
