package dev.pcikit.core.vfio;

import dev.pcikit.core.model.PciAddress;

/** One device's move in a transaction: from its binding now to a target. */
public record Transition(PciAddress address, Binding from, Target to) {

  /** The transition that undoes this one. */
  public Transition undo() {
    return new Transition(address, null, Target.of(from));
  }
}
