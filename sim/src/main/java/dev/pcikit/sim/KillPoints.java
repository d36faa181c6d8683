package dev.pcikit.sim;

/**
 * Stops a rehearsal at a chosen point so that a process-level test can kill the JVM there with
 * SIGKILL (kill -9). With the system property {@code pcikit.sim.killPoint=N}, the Nth event of a
 * --host command stops: events are the simulated kernel's writes (before each) and the saves of the
 * host state (before and after each). At the point, {@code pcikit-killpoint N} is printed on stderr
 * and the thread blocks until the process is killed. Without the property nothing happens.
 */
public final class KillPoints {
  public static final String PROPERTY = "pcikit.sim.killPoint";
  public static final String MARK = "pcikit-killpoint ";

  private final int stopAt;
  private int events;

  private KillPoints(int stopAt) {
    this.stopAt = stopAt;
  }

  /** From the system property; a plan that never stops without it. */
  static KillPoints fromSystem() {
    String v = System.getProperty(PROPERTY);
    return new KillPoints(v == null || v.isBlank() ? -1 : Integer.parseInt(v.strip()));
  }

  void event() {
    if (stopAt < 0 || ++events != stopAt) {
      return;
    }
    System.err.println(MARK + stopAt);
    System.err.flush();
    while (true) {
      try {
        Thread.sleep(60_000);
      } catch (InterruptedException e) {
        // only SIGKILL ends this
      }
    }
  }
}
