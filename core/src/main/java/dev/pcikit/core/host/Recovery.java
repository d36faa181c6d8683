package dev.pcikit.core.host;

import dev.pcikit.core.sriov.SriovPools;
import dev.pcikit.core.vfio.Journal;
import dev.pcikit.core.vfio.VfioEngine;
import dev.pcikit.core.vfio.VfioEnvironment;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finishes or undoes what a crashed pcikit left half-done: the operations on the {@link Journal}'s
 * stack, innermost first (a binding transaction that an {@code sriov enable} was running, then the
 * enable around it). {@link Host#lock} runs it before handing out the host for writing, so every
 * writer starts from a host with no pending operation.
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
    List<Journal.Entry> stack = new Journal(env.stateDir()).read();
    List<String> out = new ArrayList<>();
    for (int i = stack.size() - 1; i >= 0; i--) {
      Journal.Entry e = stack.get(i);
      if (e instanceof Journal.BindingEntry b) {
        out.addAll(new VfioEngine(env).dryRunRecover(b));
      } else if (e instanceof Journal.SriovEnableEntry s) {
        out.addAll(new SriovPools(env).dryRunRecover(s));
      }
    }
    return out;
  }

  /**
   * Runs recovery on a host whose lock the caller holds: each journal entry, innermost first, is
   * finished or undone by its own kind's recovery and leaves the journal.
   *
   * @return what was recovered, innermost first; empty when nothing was pending
   * @throws IOException when the journal cannot be read or a restoring write fails; the journal is
   *     then kept for the next attempt
   */
  public static List<Recovered> run(VfioEnvironment env) throws IOException {
    Journal journal = new Journal(env.stateDir());
    List<Recovered> out = new ArrayList<>();
    Optional<Journal.Entry> top;
    while ((top = journal.top()).isPresent()) {
      Optional<String> done;
      Operation op;
      if (top.get() instanceof Journal.BindingEntry) {
        op = Operation.BINDING;
        done = new VfioEngine(env).recover();
      } else {
        op = Operation.SRIOV_ENABLE;
        done = new SriovPools(env).recover();
      }
      if (done.isEmpty()) {
        throw new IllegalStateException("journal entry not recovered: " + top.get());
      }
      out.add(new Recovered(op, done.get()));
    }
    if (journal.exists()) {
      journal.clear(); // a previous version's SR-IOV journal already merged into this one
    }
    return List.copyOf(out);
  }
}
