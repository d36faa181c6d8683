/**
 * Binding transactions: plan (resolve devices, choose drivers, check group viability and the
 * host-safety rules), then run all or nothing with an intent journal, rollback and crash recovery.
 * Outcomes are typed ({@link dev.pcikit.core.vfio.TransactionResult}, {@link
 * dev.pcikit.core.vfio.RefusedException}).
 */
package dev.pcikit.core.vfio;
