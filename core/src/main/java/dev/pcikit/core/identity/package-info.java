/**
 * Device identity that survives bus renumbering: {@link dev.pcikit.core.identity.Fingerprint}s read
 * by {@link dev.pcikit.core.identity.FingerprintReader} (PCIe Device Serial Number, VPD serial via
 * the bounded {@link dev.pcikit.core.identity.VpdParser}, physical slot, POWER location code, s390x
 * zPCI UID/FID, the device.function path from the root complex), matched by {@link
 * dev.pcikit.core.identity.FingerprintResolver}; {@link dev.pcikit.core.identity.PersistedReapply}
 * re-resolves persisted bindings at boot so that a binding never follows the wrong device.
 */
package dev.pcikit.core.identity;
