/**
 * pcikit's core: PCI passthrough for Linux KVM/QEMU hosts as a library. Open a {@link
 * dev.pcikit.core.host.Host} (a system root, or a simulated host from {@code dev.pcikit.sim}), read
 * its devices ({@link dev.pcikit.core.inventory}), check readiness ({@link dev.pcikit.core.check}),
 * bind devices as transactions ({@link dev.pcikit.core.vfio}), manage SR-IOV pools ({@link
 * dev.pcikit.core.sriov}) and plan guests ({@link dev.pcikit.core.plan}). Failures are {@link
 * dev.pcikit.core.error.PcikitException}s with a typed kind and remedy. No runtime dependencies
 * beyond the JDK.
 */
module dev.pcikit.core {
  requires java.xml; // StAX for libvirt domain XML (DTDs and external entities off)

  exports dev.pcikit.core.host;
  exports dev.pcikit.core.model;
  exports dev.pcikit.core.error;
  exports dev.pcikit.core.sysfs;
  exports dev.pcikit.core.inventory;
  exports dev.pcikit.core.check;
  exports dev.pcikit.core.vfio;
  exports dev.pcikit.core.sriov;
  exports dev.pcikit.core.modalias;
  exports dev.pcikit.core.ids;
  exports dev.pcikit.core.config;
  exports dev.pcikit.core.plan;
  exports dev.pcikit.core.export;
  exports dev.pcikit.core.io;
  exports dev.pcikit.core.text;
  exports dev.pcikit.core.identity;
  exports dev.pcikit.core.holders;
  exports dev.pcikit.core.reset;
  exports dev.pcikit.core.watch;
// not exported: dev.pcikit.core.plan.render and dev.pcikit.core.draw (the CLI's renderers)
}
