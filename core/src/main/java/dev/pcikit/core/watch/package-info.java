/**
 * Watching a host for changes: an immutable {@link dev.pcikit.core.watch.HostState} read through
 * the {@link dev.pcikit.core.host.Host} seam, a {@link dev.pcikit.core.watch.StateDiffer} that
 * turns two states into typed {@link dev.pcikit.core.watch.Change}s, a bounded {@link
 * dev.pcikit.core.watch.EventLog} that numbers them, and a {@link
 * dev.pcikit.core.watch.HostWatcher} that rescans on kernel uevents ({@code udevadm monitor}),
 * after writes, and periodically. Front ends (the agent) serve the log; the package has no
 * dependency.
 */
package dev.pcikit.core.watch;
