/** Value types shared by every package: the PCI address ({@code domain:bus:device.function}). */
package dev.pcikit.core.model;
