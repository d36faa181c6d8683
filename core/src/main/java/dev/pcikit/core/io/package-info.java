/**
 * Bounded, regular-file-only reads of input pcikit does not trust (snapshots, specs, XML, state
 * files), so that a FIFO, a device node or a huge file cannot hang or exhaust it.
 */
package dev.pcikit.core.io;
