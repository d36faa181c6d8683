/**
 * Failures as values: {@link dev.pcikit.core.error.PcikitException} carries a {@link
 * dev.pcikit.core.error.Failure} kind and a {@link dev.pcikit.core.error.Remedy}, so that callers
 * switch on what happened and word it for their own users.
 */
package dev.pcikit.core.error;
