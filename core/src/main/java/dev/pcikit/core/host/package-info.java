/**
 * The host seam: {@link dev.pcikit.core.host.Host} is the one object a caller opens (a system root
 * with {@link dev.pcikit.core.host.SystemHost}, a recorded or demo host with {@code
 * dev.pcikit.sim.SimulatedHost}); {@link dev.pcikit.core.host.Host#lock} opens it for writing after
 * {@link dev.pcikit.core.host.Recovery} has finished or undone any interrupted operation.
 */
package dev.pcikit.core.host;
