package dev.pcikit.agent;

import java.time.Duration;

/** The bounds on every input the agent accepts (docs/agent.md lists them). */
public final class Limits {
  private Limits() {}

  /** Largest request body: a guest spec or a write request; larger ones get 413. */
  public static final int BODY_BYTES = 256 * 1024;

  /**
   * After a 413 the agent reads and discards at most this much of the rest of the body (and for at
   * most {@link #DRAIN_TIME}) so that its close does not reset the connection (see BodyDrain); a
   * body declared larger is not read at all.
   */
  public static final int DRAIN_BYTES = 4 * 1024 * 1024;

  /** How long the agent reads the rest of a refused body at most. */
  public static final Duration DRAIN_TIME = Duration.ofSeconds(5);

  /** Largest request line plus headers; larger ones get 431 (Jetty's HttpConfiguration). */
  public static final int HEADER_BYTES = 8 * 1024;

  /** Longest path parameter or query value; longer ones get 400. */
  public static final int PARAM_CHARS = 256;

  /** Most values of one query parameter ({@code s}, {@code d}). */
  public static final int PARAM_VALUES = 32;

  /** A connection silent this long is closed (Jetty idle timeout: slow readers and writers). */
  public static final Duration IDLE = Duration.ofSeconds(10);

  /**
   * A connection that has not sent a whole request head this long after opening is closed
   * (slowloris: a client trickling header bytes keeps resetting the idle timeout).
   */
  public static final Duration REQUEST_HEAD = Duration.ofSeconds(10);

  /** Most open connections per listener; more wait in the accept queue. */
  public static final int CONNECTIONS = 512;

  /**
   * Between two queued writes the agent leaves the host lock free this long, so that a CLI waiting
   * for it (it polls every 20 ms) gets its turn.
   */
  public static final Duration WRITE_GAP = Duration.ofMillis(60);

  /** How long a write waits for the host lock (another pcikit holding it) before 409. */
  public static final Duration LOCK_WAIT = Duration.ofSeconds(30);
}
