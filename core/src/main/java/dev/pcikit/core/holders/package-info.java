/**
 * Who holds what: processes holding {@code /dev/vfio/N} ({@link
 * dev.pcikit.core.holders.ProcGroupHolders}) and libvirt QEMU domains from their live and defined
 * XML ({@link dev.pcikit.core.holders.LibvirtDomains}), joined per device by {@link
 * dev.pcikit.core.holders.Holders}. No virsh, no libvirt connection.
 */
package dev.pcikit.core.holders;
