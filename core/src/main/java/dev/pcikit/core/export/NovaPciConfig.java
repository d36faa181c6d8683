package dev.pcikit.core.export;

import dev.pcikit.core.inventory.PciDevice;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * OpenStack Nova: the {@code [pci] device_spec} and {@code [pci] alias} entries of nova.conf for
 * the host's assignable functions, and a provider config (provider.yaml) that puts custom traits on
 * the compute node's resource provider so flavors can ask for hosts with those devices.
 *
 * <p>device_spec: every entry names vendor_id and product_id, so that a PF address never matches
 * its VFs by accident (nova/pci/devspec.py WhitelistPciAddress.match matches a PF address against a
 * VF's parent); functions of one vendor:product on one bus become one glob address ("0000:17:*.*")
 * only when every such function on that bus is assignable, otherwise each gets its exact address.
 * alias: one per vendor:product and device type, named pcikit-VVVV-PPPP, with device_type as Nova
 * classifies devices (type-VF for a VF, type-PF for a function with SR-IOV, type-PCI otherwise).
 */
public final class NovaPciConfig {
  private NovaPciConfig() {}

  /** The device_spec values, each a JSON object. */
  public static List<Map<String, Object>> deviceSpecs(ExportHost host) {
    List<PciDevice> assignable = host.assignable();
    // vendor:product@domain:bus → the assignable functions there
    Map<String, List<PciDevice>> byBus = new TreeMap<>();
    for (PciDevice d : assignable) {
      byBus.computeIfAbsent(busKey(d), k -> new ArrayList<>()).add(d);
    }
    List<Map<String, Object>> specs = new ArrayList<>();
    for (List<PciDevice> group : byBus.values()) {
      PciDevice first = group.get(0);
      long onBus =
          host.inventory().devices().stream().filter(d -> busKey(d).equals(busKey(first))).count();
      if (group.size() > 1 && onBus == group.size()) {
        specs.add(
            spec(
                first,
                String.format(
                    Locale.ROOT,
                    "%04x:%02x:*.*",
                    first.address().domain(),
                    first.address().bus())));
      } else {
        for (PciDevice d : group) {
          specs.add(spec(d, d.address().toString()));
        }
      }
    }
    return specs;
  }

  private static String busKey(PciDevice d) {
    return String.format(
        Locale.ROOT,
        "%04x:%04x@%04x:%02x",
        d.vendor(),
        d.device(),
        d.address().domain(),
        d.address().bus());
  }

  private static Map<String, Object> spec(PciDevice d, String address) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("vendor_id", DraResourceSlices.hex4(d.vendor()));
    s.put("product_id", DraResourceSlices.hex4(d.device()));
    s.put("address", address);
    return s;
  }

  /** Nova's device type (nova/objects/fields.py PciDeviceType) as its libvirt driver reports it. */
  static String deviceType(PciDevice d) {
    if (d.isVirtualFunction()) {
      return "type-VF";
    }
    return d.sriov().isPresent() ? "type-PF" : "type-PCI";
  }

  public static List<Map<String, Object>> aliases(ExportHost host) {
    Map<String, Map<String, Object>> byName = new TreeMap<>();
    for (PciDevice d : host.assignable()) {
      String name = aliasName(d);
      Map<String, Object> a = new LinkedHashMap<>();
      a.put("name", name);
      a.put("vendor_id", DraResourceSlices.hex4(d.vendor()));
      a.put("product_id", DraResourceSlices.hex4(d.device()));
      a.put("device_type", deviceType(d));
      byName.putIfAbsent(name, a);
    }
    return new ArrayList<>(byName.values());
  }

  static String aliasName(PciDevice d) {
    String type = deviceType(d).substring("type-".length()).toLowerCase(Locale.ROOT);
    return String.format(Locale.ROOT, "pcikit-%04x-%04x-%s", d.vendor(), d.device(), type);
  }

  /** CUSTOM_PCIKIT_PCI_VVVV_PPPP: one trait per vendor:product the host can hand out. */
  static String trait(PciDevice d) {
    return String.format(Locale.ROOT, "CUSTOM_PCIKIT_PCI_%04X_%04X", d.vendor(), d.device());
  }

  /** The host can pass devices through at all (no host finding blocks it). */
  static final String READY_TRAIT = "CUSTOM_PCIKIT_PASSTHROUGH_READY";

  /**
   * provider.yaml (nova/compute/provider_config.py, schema 1.0): traits on the compute node of this
   * host ("$COMPUTE_NODE"). No inventories: with [pci] device_spec, Nova's PCI tracker counts the
   * devices; an inventory here would count them a second time.
   */
  public static Map<String, Object> providerConfig(ExportHost host) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("meta", new LinkedHashMap<>(Map.of("schema_version", "1.0")));
    List<Object> providers = new ArrayList<>();
    if (!host.hostBlocked()) {
      List<String> traits = new ArrayList<>();
      traits.add(READY_TRAIT);
      host.assignable().stream().map(NovaPciConfig::trait).distinct().sorted().forEach(traits::add);
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("identification", new LinkedHashMap<>(Map.of("uuid", "$COMPUTE_NODE")));
      p.put("traits", new LinkedHashMap<>(Map.of("additional", traits)));
      providers.add(p);
    }
    doc.put("providers", providers);
    return doc;
  }

  /** The [pci] section for nova.conf (oslo.config: a repeated key is a list entry). */
  public static Export conf(ExportHost host) {
    List<LeftOut> out = host.notAssignable();
    StringBuilder b = new StringBuilder();
    b.append(comments(host, out, "nova.conf [pci] entries"));
    b.append("[pci]\n");
    for (Map<String, Object> s : deviceSpecs(host)) {
      b.append("device_spec = ").append(JsonText.compact(s)).append('\n');
    }
    for (Map<String, Object> a : aliases(host)) {
      b.append("alias = ").append(JsonText.compact(a)).append('\n');
    }
    return new Export(b.toString(), out, notes(host));
  }

  public static Export providerYaml(ExportHost host) {
    List<LeftOut> out = host.notAssignable();
    String text =
        comments(host, out, "provider.yaml for [compute] provider_config_location")
            + YamlText.write(providerConfig(host));
    return new Export(text, out, List.of());
  }

  /** device_spec, alias and provider config in one JSON document, for tools. */
  public static Export json(ExportHost host) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("schema", "pcikit/export-nova/v1");
    doc.put("deviceSpec", deviceSpecs(host));
    doc.put("alias", aliases(host));
    doc.put("providerConfig", providerConfig(host));
    return new Export(JsonText.write(doc), host.notAssignable(), notes(host));
  }

  private static List<String> notes(ExportHost host) {
    if (host.assignable().stream().anyMatch(d -> d.classCode() >> 16 == 0x02)) {
      return List.of(
          "network functions for Neutron SR-IOV ports also need \"physical_network\" in their"
              + " device_spec entries; pcikit cannot know the physnet names");
    }
    return List.of();
  }

  private static String comments(ExportHost host, List<LeftOut> out, String what) {
    return YamlText.comment(ExportComment.of("nova", what, host, out));
  }
}
