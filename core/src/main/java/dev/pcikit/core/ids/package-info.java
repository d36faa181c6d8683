/** Vendor and device names from the pci.ids database, as lspci shows them. */
package dev.pcikit.core.ids;
