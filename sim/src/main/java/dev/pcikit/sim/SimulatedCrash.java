package dev.pcikit.sim;

/**
 * Thrown by the simulated kernel when a fault plan stops the caller after step k: the process
 * "dies" between two writes. An Error, so code under test does not handle it like a kernel refusal;
 * a test catches it, then checks what a new process finds (recovery, journals, rollbacks).
 */
public final class SimulatedCrash extends Error {
  private static final long serialVersionUID = 1L;
  private final int step;

  public SimulatedCrash(int step) {
    super("simulated crash before write #" + step);
    this.step = step;
  }

  /** The write that did not happen (1-based). */
  public int step() {
    return step;
  }
}
