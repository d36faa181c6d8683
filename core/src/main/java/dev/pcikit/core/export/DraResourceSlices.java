package dev.pcikit.core.export;

import dev.pcikit.core.check.DeviceReport;
import dev.pcikit.core.check.Verdict;
import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.error.Remedy;
import dev.pcikit.core.inventory.PciDevice;
import dev.pcikit.core.model.PciAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Kubernetes Dynamic Resource Allocation: the host's assignable PCI functions as resource.k8s.io/v1
 * ResourceSlices of one node-local pool, one device per function.
 *
 * <p>A pool holds at most {@link DraLimits#MAX_DEVICES_PER_SLICE} devices per slice, so a large
 * host becomes several slices; every slice of the pool carries the same generation and the total
 * slice count (ResourcePool.resourceSliceCount), which is how a scheduler knows it has seen the
 * whole pool. A host with nothing assignable still gets one empty slice, so that a newer generation
 * replaces devices published before.
 *
 * <p>Standard attributes as k8s.io/dynamic-resource-allocation/deviceattribute defines them: {@code
 * resource.kubernetes.io/pciBusID} (extended BDF, "0000:17:01.0"), {@code
 * resource.kubernetes.io/pcieRoot} ("pci{@literal <domain>:<bus>}", the root bus directory the
 * device's sysfs path starts with) and {@code resource.kubernetes.io/numaNode} (numa_node, left out
 * when the kernel reports -1: such a device "must not publish numaNode", numa.go). pcikit's own
 * facts are under {@value DraOptions#PCIKIT_DOMAIN}.
 */
public final class DraResourceSlices {
  private DraResourceSlices() {}

  static final String STANDARD = "resource.kubernetes.io/";
  static final String OWN = DraOptions.PCIKIT_DOMAIN + "/";

  /** The slices, in order, as document trees. */
  public static List<Map<String, Object>> slices(
      ExportHost host, DraOptions opts, List<LeftOut> out) {
    if (!K8sNames.isDns1123Subdomain(host.node())) {
      throw new PcikitException(
          Failure.INVALID_ARGUMENT,
          Remedy.NAME_NODE,
          "node name '" + host.node() + "' is not a DNS subdomain");
    }
    List<Map<String, Object>> devices = new ArrayList<>();
    for (PciDevice d : host.assignable()) {
      devices.add(device(host, d, out));
    }
    int max = DraLimits.MAX_DEVICES_PER_SLICE;
    int count = Math.max(1, (devices.size() + max - 1) / max);
    List<Map<String, Object>> slices = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      List<Map<String, Object>> part =
          devices.subList(i * max, Math.min(devices.size(), (i + 1) * max));
      slices.add(slice(host, opts, i, count, part));
    }
    return slices;
  }

  public static Export yaml(ExportHost host, DraOptions opts) {
    List<LeftOut> out = new ArrayList<>(host.notAssignable());
    List<Map<String, Object>> slices = slices(host, opts, out);
    StringBuilder b = new StringBuilder();
    b.append(YamlText.comment(header(host, slices, out)));
    for (Map<String, Object> s : slices) {
      b.append("---\n").append(YamlText.write(s));
    }
    return new Export(b.toString(), out, List.of());
  }

  /** A v1 List of the slices (what kubectl apply -f takes as one JSON document). */
  public static Export json(ExportHost host, DraOptions opts) {
    List<LeftOut> out = new ArrayList<>(host.notAssignable());
    Map<String, Object> list = new LinkedHashMap<>();
    list.put("apiVersion", "v1");
    list.put("kind", "List");
    list.put("items", slices(host, opts, out));
    return new Export(JsonText.write(list), out, List.of());
  }

  private static String header(
      ExportHost host, List<Map<String, Object>> slices, List<LeftOut> out) {
    int n = host.assignable().size();
    return ExportComment.withLeftOut(
        "pcikit export dra: "
            + n
            + " assignable PCI function(s) of "
            + host.node()
            + " in "
            + slices.size()
            + " ResourceSlice(s) (at most "
            + DraLimits.MAX_DEVICES_PER_SLICE
            + " devices each)",
        out);
  }

  private static Map<String, Object> slice(
      ExportHost host, DraOptions opts, int index, int count, List<Map<String, Object>> devices) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("apiVersion", "resource.k8s.io/v1");
    s.put("kind", "ResourceSlice");
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("name", host.node() + "-" + opts.driver() + "-" + index);
    s.put("metadata", meta);
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("driver", opts.driver());
    // node-local devices: exactly one of nodeName, nodeSelector, allNodes, perDeviceNodeSelection
    spec.put("nodeName", host.node());
    Map<String, Object> pool = new LinkedHashMap<>();
    pool.put("name", opts.pool());
    pool.put("generation", opts.generation());
    pool.put("resourceSliceCount", (long) count);
    spec.put("pool", pool);
    spec.put("devices", new ArrayList<>(devices));
    s.put("spec", spec);
    return s;
  }

  /** "0000:17:01.0" → "pci-0000-17-01-0": a DNS label, unique in the pool. */
  public static String deviceName(PciAddress a) {
    return "pci-" + a.toString().replace(':', '-').replace('.', '-');
  }

  private static Map<String, Object> device(ExportHost host, PciDevice d, List<LeftOut> out) {
    Map<String, Object> attrs = new LinkedHashMap<>();
    put(attrs, STANDARD + "pciBusID", str(d.address().toString()), d, out);
    if (!d.rootBus().isEmpty()) {
      put(attrs, STANDARD + "pcieRoot", str(d.rootBus()), d, out);
    }
    if (d.numaNode() >= 0) {
      put(attrs, STANDARD + "numaNode", num(d.numaNode()), d, out);
    }
    put(attrs, OWN + "vendorID", str(hex4(d.vendor())), d, out);
    put(attrs, OWN + "deviceID", str(hex4(d.device())), d, out);
    put(attrs, OWN + "subsystemVendorID", str(hex4(d.subsystemVendor())), d, out);
    put(attrs, OWN + "subsystemDeviceID", str(hex4(d.subsystemDevice())), d, out);
    put(attrs, OWN + "classCode", str(String.format(Locale.ROOT, "%06x", d.classCode())), d, out);
    put(attrs, OWN + "revision", num(d.revision()), d, out);
    if (d.iommuGroup().isPresent()) {
      put(attrs, OWN + "iommuGroup", num(d.iommuGroup().get()), d, out);
      put(attrs, OWN + "iommuGroupEndpoints", num(host.groupEndpoints(d)), d, out);
    }
    d.driver().ifPresent(drv -> put(attrs, OWN + "driver", str(drv), d, out));
    put(attrs, OWN + "vfioBound", bool(d.boundToVfio()), d, out);
    if (d.isVirtualFunction()) {
      put(attrs, OWN + "sriovRole", str("vf"), d, out);
      d.physfn().ifPresent(pf -> put(attrs, OWN + "physfn", str(pf.toString()), d, out));
    } else if (d.sriov().isPresent()) {
      put(attrs, OWN + "sriovRole", str("pf"), d, out);
      put(attrs, OWN + "sriovTotalVFs", num(d.sriov().get().totalVfs()), d, out);
    }
    Verdict v =
        host.check().devices().stream()
            .filter(r -> r.address().equals(d.address()))
            .map(DeviceReport::verdict)
            .findFirst()
            .orElse(Verdict.OK);
    put(attrs, OWN + "checkVerdict", str(v.name().toLowerCase(Locale.ROOT)), d, out);
    Map<String, Object> dev = new LinkedHashMap<>();
    dev.put("name", deviceName(d.address()));
    dev.put("attributes", attrs);
    return dev;
  }

  /** Adds an attribute when the API's limits allow it; says so when they do not. */
  private static void put(
      Map<String, Object> attrs,
      String name,
      Map<String, Object> value,
      PciDevice d,
      List<LeftOut> out) {
    Object s = value.get("string");
    if (s instanceof String str && str.length() > DraLimits.MAX_STRING_VALUE_LENGTH) {
      out.add(new LeftOut(d.address().toString(), "attribute " + name + ": value longer than 64"));
      return;
    }
    if (attrs.size() >= DraLimits.MAX_ATTRIBUTES_AND_CAPACITIES) {
      out.add(new LeftOut(d.address().toString(), "attribute " + name + ": over 32 attributes"));
      return;
    }
    attrs.put(name, value);
  }

  private static Map<String, Object> str(String s) {
    return Map.of("string", s);
  }

  private static Map<String, Object> num(long n) {
    return Map.of("int", n);
  }

  private static Map<String, Object> bool(boolean b) {
    return Map.of("bool", b);
  }

  static String hex4(int v) {
    return String.format(Locale.ROOT, "%04x", v);
  }
}
