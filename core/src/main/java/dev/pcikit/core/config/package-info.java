/**
 * PCI configuration-space decoding: header, capability and extended-capability lists, bounded and
 * checked against lspci, bytes in and a value plus findings out.
 */
package dev.pcikit.core.config;
