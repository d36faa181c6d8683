package dev.pcikit.core.export;

import dev.pcikit.core.ids.DeviceNames;
import dev.pcikit.core.inventory.PciDevice;
import dev.pcikit.core.model.PciAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Apache CloudStack: the JSON that the KVM agent's GPU discovery script prints (apache/cloudstack
 * scripts/vm/hypervisor/kvm/gpudiscovery.sh), field by field, so that the agent can run pcikit
 * instead of the script (lspci, virsh, xmlstarlet).
 *
 * <p>What the script does and pcikit follows: one entry per PCI function whose lspci -nnm class is
 * a GPU's (see {@link #GPU_CLASSES}) and that is not a VF (VFs are listed under their PF in
 * vf_instances); pci_address, vendor, device and pci_class as lspci -nnm prints them ("3D
 * controller [0302]", names without the trailing " [id]"); driver "unknown" without one;
 * iommu_group as a string ("null" without a group); numa_node -1 without one;
 * sriov_totalvfs/sriov_numvfs from the virt_functions capability; full_passthrough.enabled 1 when
 * the GPU has no vGPU and no VF instances, else 0; libvirt_address fields "0x"-prefixed hex.
 *
 * <p>Where pcikit differs, on purpose: only GPUs the readiness check finds assignable, or whose VFs
 * it finds assignable, are listed, and only assignable VFs (the others are reported as left out);
 * the PCI domain is the real one (the script hard-codes 0000, which breaks on POWER and s390x
 * hosts); pci_root is the full address of the top PCI function above the GPU. What pcikit cannot
 * know is printed as the script prints it when it finds nothing: used_by_vm null (pcikit reads no
 * libvirt domains), vgpu_instances empty and the mdev description fields null (pcikit does not read
 * mdev types).
 */
public final class CloudStackGpuDiscovery {
  private CloudStackGpuDiscovery() {}

  /**
   * The classes the script lists, by the names lspci prints: "3D controller" (0302) in the script
   * at 08af6dde; "Processing accelerators" (12) and "Display controller" (0380) added in CloudStack
   * 4.22 (apache/cloudstack#11701, #12957, fixed by #12981). "VGA compatible controller" (0300)
   * never: that is usually the host's console.
   */
  static final java.util.Set<Integer> GPU_CLASSES = java.util.Set.of(0x0302, 0x1200, 0x0380);

  static final int CLASS_VGA = 0x0300;

  public static Map<String, Object> document(ExportHost host, List<LeftOut> out) {
    DeviceNames names = host.names();
    List<PciDevice> assignable = host.assignable();
    List<Object> gpus = new ArrayList<>();
    for (PciDevice d : host.inventory().devices()) {
      int cls = d.classCode() >> 8;
      if (d.isVirtualFunction()) {
        continue;
      }
      if (cls == CLASS_VGA) {
        out.add(
            new LeftOut(
                d.address().toString(),
                "a VGA controller: CloudStack's gpudiscovery.sh lists only 3D, display and"
                    + " processing-accelerator controllers"));
        continue;
      }
      if (!GPU_CLASSES.contains(cls) && !GPU_CLASSES.contains(cls & 0xff00)) {
        continue;
      }
      // a PF whose VFs are handed out (SR-IOV vGPU) cannot be assigned itself but is listed
      // with its VFs, as the script lists it (full_passthrough.enabled 0)
      boolean vfAssignable =
          d.virtfns().stream()
              .anyMatch(vf -> host.inventory().device(vf).filter(assignable::contains).isPresent());
      if (!assignable.contains(d) && !vfAssignable) {
        continue; // host.notAssignable() says why
      }
      gpus.add(gpu(host, d, names, assignable, out));
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("gpus", gpus);
    return doc;
  }

  public static Export json(ExportHost host) {
    List<LeftOut> out = new ArrayList<>(host.notAssignable());
    Map<String, Object> doc = document(host, out);
    return new Export(
        JsonText.write(doc),
        out,
        List.of(
            "used_by_vm is null and vgpu_instances empty: pcikit reads neither libvirt domains"
                + " nor mdev types"));
  }

  private static Map<String, Object> gpu(
      ExportHost host,
      PciDevice d,
      DeviceNames names,
      List<PciDevice> assignable,
      List<LeftOut> out) {
    Map<String, Object> g = new LinkedHashMap<>();
    g.put("pci_address", lspciSlot(d.address()));
    g.put("vendor_id", DraResourceSlices.hex4(d.vendor()));
    g.put("device_id", DraResourceSlices.hex4(d.device()));
    g.put("vendor", withoutId(names.vendorText(d.vendor())));
    g.put("device", withoutId(names.deviceText(d.vendor(), d.device())));
    g.put("driver", d.driver().orElse("unknown"));
    g.put("pci_class", names.classText(d.classCode()));
    g.put("iommu_group", d.iommuGroup().map(String::valueOf).orElse("null"));
    g.put("pci_root", pciRoot(host, d).toString());
    g.put("numa_node", (long) d.numaNode());
    int total = d.sriov().map(s -> s.totalVfs()).orElse(0);
    g.put("sriov_totalvfs", (long) total);
    g.put("sriov_numvfs", (long) d.virtfns().size());
    for (String k :
        List.of(
            "max_instances", "video_ram", "max_heads", "max_resolution_x", "max_resolution_y")) {
      g.put(k, null);
    }
    List<Object> vfs = new ArrayList<>();
    if (total > 0) {
      for (PciAddress vf : d.virtfns()) {
        Optional<PciDevice> v = host.inventory().device(vf);
        if (v.isEmpty()) {
          continue;
        }
        if (!assignable.contains(v.get())) {
          continue; // reported by host.notAssignable()
        }
        Map<String, Object> i = new LinkedHashMap<>();
        i.put("vf_pci_address", lspciSlot(vf));
        i.put("vf_profile", withoutId(names.deviceText(v.get().vendor(), v.get().device())));
        i.put("libvirt_address", libvirtAddress(vf));
        i.put("used_by_vm", null);
        vfs.add(i);
      }
    }
    Map<String, Object> full = new LinkedHashMap<>();
    full.put("enabled", vfs.isEmpty() ? 1L : 0L);
    full.put("libvirt_address", libvirtAddress(d.address()));
    full.put("used_by_vm", null);
    g.put("full_passthrough", full);
    g.put("vgpu_instances", List.of());
    g.put("vf_instances", vfs);
    return g;
  }

  /** lspci -m's slot: the domain only when it is not 0000 (lspci without -D). */
  static String lspciSlot(PciAddress a) {
    return a.domain() == 0 ? a.shortForm() : a.toString();
  }

  /** The script's sed 's/ \[[0-9A-Fa-f]{4}\]$//' on lspci's "Name [id]". */
  static String withoutId(String text) {
    return text.replaceFirst(" \\[[0-9A-Fa-f]{4}\\]$", "");
  }

  /** The script's get_pci_root: up the parents while they are PCI functions; the top one. */
  static PciAddress pciRoot(ExportHost host, PciDevice d) {
    PciDevice top = d;
    for (int hops = 0; hops < 256; hops++) {
      Optional<PciDevice> up = top.parent().flatMap(host.inventory()::device);
      if (up.isEmpty()) {
        break;
      }
      top = up.get();
    }
    return top.address();
  }

  static Map<String, Object> libvirtAddress(PciAddress a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("domain", String.format(Locale.ROOT, "0x%04x", a.domain()));
    m.put("bus", String.format(Locale.ROOT, "0x%02x", a.bus()));
    m.put("slot", String.format(Locale.ROOT, "0x%02x", a.device()));
    m.put("function", String.format(Locale.ROOT, "0x%x", a.function()));
    return m;
  }
}
