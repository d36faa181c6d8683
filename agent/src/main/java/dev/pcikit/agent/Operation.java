package dev.pcikit.agent;

import java.time.Instant;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A write accepted by the agent: queued, running, then done (its reply a document) or failed (its
 * reply a problem). {@code GET /v1/operations/{id}} shows it as {@code pcikit/operation/v1}.
 */
public final class Operation {
  public enum State {
    QUEUED,
    RUNNING,
    DONE,
    FAILED
  }

  private final String id;
  private final String what;
  private final JsonNode request;
  private final Instant submitted = Instant.now();
  private volatile State state = State.QUEUED;
  private volatile Instant finished;
  private volatile Reply reply;

  Operation(String id, String what, JsonNode request) {
    this.id = id;
    this.what = what;
    this.request = request;
  }

  public String id() {
    return id;
  }

  public State state() {
    return state;
  }

  /** The final reply (null until done or failed). */
  public Reply reply() {
    return reply;
  }

  void running() {
    state = State.RUNNING;
  }

  synchronized void finish(Reply r) {
    reply = r;
    finished = Instant.now();
    state = r.status() < 400 ? State.DONE : State.FAILED;
    notifyAll();
  }

  /** Waits up to {@code millis} for the end; true when it ended. */
  synchronized boolean await(long millis) throws InterruptedException {
    long deadline = System.nanoTime() + millis * 1_000_000;
    while (reply == null) {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        return false;
      }
      wait(left);
    }
    return true;
  }

  /** The {@code pcikit/operation/v1} document. */
  ObjectNode document() {
    ObjectNode o = Json.object();
    o.put("schema", "pcikit/operation/v1");
    o.put("id", id);
    o.put("operation", what);
    o.put("state", state.name().toLowerCase(java.util.Locale.ROOT));
    o.put("submitted", submitted.toString());
    if (finished != null) {
      o.put("finished", finished.toString());
    } else {
      o.putNull("finished");
    }
    o.set("request", request);
    Reply r = reply;
    if (r != null) {
      o.put("status", r.status());
      o.set(r.status() < 400 ? "result" : "problem", Json.read(r.body()));
    }
    return o;
  }
}
