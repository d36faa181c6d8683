/**
 * Readiness checks: host findings (IOMMU, kernel command line, modules) and, per device, whether it
 * can be passed through and why not, as {@link dev.pcikit.core.check.Finding}s with a verdict.
 */
package dev.pcikit.core.check;
