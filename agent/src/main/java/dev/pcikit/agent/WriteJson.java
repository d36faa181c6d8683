package dev.pcikit.agent;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.Remedy;
import dev.pcikit.core.host.Recovery;
import dev.pcikit.core.model.PciAddress;
import dev.pcikit.core.vfio.Refusal;
import dev.pcikit.core.vfio.TransactionResult;
import dev.pcikit.core.vfio.Transition;
import dev.pcikit.core.vfio.VfioEngine;
import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code pcikit/write/v1}: what a write did (or, with {@code dryRun}, would do): the operation, the
 * transitions, the exact sysfs writes of a dry run as the CLI's {@code --dry-run} prints them,
 * notes, overridden refusals and what recovery did first. A transaction that did not commit is a
 * problem (KERNEL_REFUSED) carrying the same fields.
 */
final class WriteJson {
  private WriteJson() {}

  static ObjectNode document(String operation, boolean dryRun) {
    ObjectNode o = Json.object();
    o.put("schema", "pcikit/write/v1");
    o.put("operation", operation);
    o.put("dryRun", dryRun);
    return o;
  }

  static ObjectNode dryRun(String operation, VfioEngine.Plan plan, List<String> writes) {
    ObjectNode o = document(operation, true);
    o.put("outcome", "planned");
    transitions(o.putArray("transitions"), plan.transitions());
    strings(o.putArray("writes"), writes);
    strings(o.putArray("notes"), plan.notes());
    refusals(o.putArray("overridden"), plan.overridden());
    return o;
  }

  static ObjectNode dryRun(String operation, List<String> writes) {
    ObjectNode o = document(operation, true);
    o.put("outcome", "planned");
    strings(o.putArray("writes"), writes);
    return o;
  }

  /** The reply of a transaction: 200 with the document when it committed, else a problem. */
  static Reply result(
      String operation, VfioEngine.Plan plan, TransactionResult r, List<Recovery.Recovered> rec) {
    ObjectNode o = document(operation, false);
    recovered(o, rec);
    refusals(o.putArray("overridden"), plan.overridden());
    if (r instanceof TransactionResult.Committed c) {
      o.put("outcome", "committed");
      transitions(o.putArray("done"), c.done());
      strings(o.putArray("notes"), c.notes());
      return Reply.ok(o);
    }
    String cause;
    List<String> restored;
    String outcome;
    Remedy remedy = Remedy.NONE;
    if (r instanceof TransactionResult.NotStarted n) {
      outcome = "not-started";
      cause = n.cause() + "; nothing was changed";
      restored = List.of();
    } else if (r instanceof TransactionResult.RolledBack b) {
      outcome = "rolled-back";
      cause = operation + " failed: " + b.cause() + "; every device was restored";
      restored = b.restored();
    } else {
      TransactionResult.RollbackIncomplete b = (TransactionResult.RollbackIncomplete) r;
      outcome = "rollback-incomplete";
      cause =
          operation
              + " failed: "
              + b.cause()
              + "; the rollback is incomplete and the journal is kept (the next write recovers)";
      restored = b.restored();
      remedy = Remedy.RECOVER_LATER;
    }
    ObjectNode p =
        Problems.problem(Problems.status(Failure.KERNEL_REFUSED), "KERNEL_REFUSED", cause);
    p.put("remedy", remedy.name());
    p.put("outcome", outcome);
    strings(p.putArray("restored"), restored);
    return new Reply(p.get("status").intValue(), Reply.PROBLEM, Json.bytes(p));
  }

  static void recovered(ObjectNode o, List<Recovery.Recovered> rec) {
    ArrayNode a = o.putArray("recovered");
    for (Recovery.Recovered r : rec) {
      ObjectNode x = a.addObject();
      x.put("operation", r.operation().name());
      x.put("summary", r.summary());
    }
  }

  static void addresses(ArrayNode a, List<PciAddress> list) {
    list.forEach(x -> a.add(x.toString()));
  }

  private static void transitions(ArrayNode a, List<Transition> ts) {
    for (Transition t : ts) {
      ObjectNode x = a.addObject();
      x.put("bdf", t.address().toString());
      x.put("from", t.from().describe());
      x.put("to", t.to().describe());
      if (t.to().driver() != null) {
        x.put("driver", t.to().driver());
      } else {
        x.putNull("driver");
      }
    }
  }

  private static void refusals(ArrayNode a, List<Refusal> rs) {
    for (Refusal r : rs) {
      ObjectNode x = a.addObject();
      x.put("address", r.address().toString());
      x.put("rule", r.rule().name());
      x.put("reason", r.reason());
      x.put("forceable", r.rule().forceable());
    }
  }

  private static void strings(ArrayNode a, List<String> s) {
    s.forEach(a::add);
  }
}
