package dev.pcikit.core.identity;

import dev.pcikit.core.model.PciAddress;
import java.util.Optional;

/**
 * Where a recorded device is now.
 *
 * @param recorded the address it was recorded at
 * @param now where the same device is now (SAME, MOVED)
 * @param atRecorded what sits at the recorded address now, when that is another device
 * @param message one sentence for the user
 */
public record Resolution(
    Kind kind,
    PciAddress recorded,
    Optional<PciAddress> now,
    Optional<Fingerprint> atRecorded,
    String message) {

  /** The outcomes of re-resolving a recorded device on the current host. */
  public enum Kind {
    /** The same device at the same address. */
    SAME,
    /** The same device at another address (bus numbers shifted, or the card moved). */
    MOVED,
    /** Not found, and a different device sits at the recorded address. */
    REPLACED,
    /** Not found, and nothing is at the recorded address. */
    GONE,
    /** Several devices match equally well: none can be chosen safely. */
    AMBIGUOUS
  }
}
