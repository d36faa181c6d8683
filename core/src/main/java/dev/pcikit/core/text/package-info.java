/**
 * Making outside text (sysfs attributes, snapshots, specs) safe for where it goes: a terminal, a
 * shell line, an XML document.
 */
package dev.pcikit.core.text;
