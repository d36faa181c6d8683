/**
 * The one port to a kernel: {@link dev.pcikit.core.sysfs.Sysfs}, with a directory-backed and an
 * in-memory implementation, errno-typed failures, and the system-root layout. Nothing in pcikit
 * hard-codes the real {@code /sys}.
 */
package dev.pcikit.core.sysfs;
