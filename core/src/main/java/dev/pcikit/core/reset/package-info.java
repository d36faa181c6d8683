/**
 * Reset readiness between guests: the kernel's reset methods, FLR, what a bus reset would also hit
 * ({@link dev.pcikit.core.reset.ResetReadiness}) and a curated list of models known not to reset
 * cleanly ({@link dev.pcikit.core.reset.KnownResetQuirks}).
 */
package dev.pcikit.core.reset;
