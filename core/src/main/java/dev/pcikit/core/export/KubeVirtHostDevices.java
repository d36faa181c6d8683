package dev.pcikit.core.export;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.inventory.PciDevice;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * KubeVirt: {@code spec.configuration.permittedHostDevices.pciHostDevices} of the KubeVirt custom
 * resource, as a merge patch. KubeVirt selects devices by vendor:product only (cluster-wide), so
 * there is one entry per vendor:product among the assignable functions.
 *
 * <p>Rules followed (kubevirt/kubevirt): pciVendorSelector is "vvvv:pppp" in lower case, since
 * virt-handler lower-cases the selector and compares it with the lower-cased PCI_ID of the device's
 * uevent (pkg/virt-handler/device-manager/device_controller.go, common.go GetDevicePCIID); both
 * halves four hex digits (pkg/util/hardware ParsePCIVendorSelector). KubeVirt's own device plugin
 * offers only functions bound to exactly "vfio-pci" (device-manager/pci_device.go
 * discoverPermittedHostPCIDevices): functions on another driver, variant drivers included, get a
 * note. resourceName is an extended resource name (prefix/name).
 */
public final class KubeVirtHostDevices {
  private KubeVirtHostDevices() {}

  /**
   * @param resourcePrefix the domain of the resource names (prefix/vvvv-pppp)
   * @param external externalResourceProvider: another device plugin offers the devices
   */
  public record Options(String resourcePrefix, boolean external) {
    public Options {
      if (!K8sNames.isDns1123Subdomain(resourcePrefix)) {
        throw new PcikitException(
            Failure.INVALID_ARGUMENT,
            "resource prefix '" + resourcePrefix + "' is not a DNS subdomain");
      }
    }
  }

  static String selector(PciDevice d) {
    return String.format(Locale.ROOT, "%04x:%04x", d.vendor(), d.device());
  }

  public static Map<String, Object> patch(ExportHost host, Options opts, List<String> notes) {
    Map<String, List<PciDevice>> bySelector = new TreeMap<>();
    for (PciDevice d : host.assignable()) {
      bySelector.computeIfAbsent(selector(d), k -> new ArrayList<>()).add(d);
    }
    List<Object> entries = new ArrayList<>();
    for (Map.Entry<String, List<PciDevice>> e : bySelector.entrySet()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("pciVendorSelector", e.getKey());
      entry.put("resourceName", opts.resourcePrefix() + "/" + e.getKey().replace(':', '-'));
      if (opts.external()) {
        entry.put("externalResourceProvider", true);
      }
      entries.add(entry);
      if (!opts.external()) {
        List<PciDevice> notVfio =
            e.getValue().stream().filter(d -> !"vfio-pci".equals(d.driver().orElse(""))).toList();
        if (!notVfio.isEmpty()) {
          PciDevice first = notVfio.get(0);
          notes.add(
              e.getKey()
                  + ": "
                  + notVfio.size()
                  + " of "
                  + e.getValue().size()
                  + " function(s) not bound to vfio-pci (first "
                  + first.address()
                  + ", "
                  + first.driver().map(x -> "driver " + x).orElse("no driver")
                  + "); KubeVirt's device plugin offers only functions bound to vfio-pci:"
                  + " bind them to it (a variant driver needs externalResourceProvider)");
        }
      }
      List<String> alsoMatches =
          host.check().devices().stream()
              .filter(r -> !r.assignable())
              .map(r -> host.inventory().device(r.address()).orElse(null))
              .filter(d -> d != null && selector(d).equals(e.getKey()))
              .map(d -> d.address().toString())
              .toList();
      if (!alsoMatches.isEmpty()) {
        notes.add(
            e.getKey()
                + ": the selector also matches "
                + String.join(", ", alsoMatches)
                + ", which cannot be assigned; keep it off vfio-pci so KubeVirt does not offer it");
      }
    }
    Map<String, Object> devices = new LinkedHashMap<>();
    devices.put("pciHostDevices", entries);
    Map<String, Object> configuration = new LinkedHashMap<>();
    configuration.put("permittedHostDevices", devices);
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("configuration", configuration);
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("spec", spec);
    return doc;
  }

  public static Export yaml(ExportHost host, Options opts) {
    List<String> notes = new ArrayList<>();
    Map<String, Object> doc = patch(host, opts, notes);
    List<LeftOut> out = host.notAssignable();
    String c =
        ExportComment.of(
            "kubevirt",
            "merge patch for the KubeVirt CR (kubectl patch kubevirt kubevirt -n kubevirt --type"
                + " merge --patch-file FILE)",
            host,
            out);
    return new Export(YamlText.comment(c) + YamlText.write(doc), out, notes);
  }

  public static Export json(ExportHost host, Options opts) {
    List<String> notes = new ArrayList<>();
    return new Export(JsonText.write(patch(host, opts, notes)), host.notAssignable(), notes);
  }
}
