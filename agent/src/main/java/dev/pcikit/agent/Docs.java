package dev.pcikit.agent;

import dev.pcikit.core.check.CheckReport;
import dev.pcikit.core.draw.HostPicture;
import dev.pcikit.core.draw.PlanPicture;
import dev.pcikit.core.draw.PlanViews;
import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.holders.Holders;
import dev.pcikit.core.host.Host;
import dev.pcikit.core.identity.FingerprintReader;
import dev.pcikit.core.ids.DeviceNames;
import dev.pcikit.core.ids.PciIdsLocator;
import dev.pcikit.core.inventory.Inventory;
import dev.pcikit.core.inventory.InventoryReader;
import dev.pcikit.core.inventory.IommuGroup;
import dev.pcikit.core.inventory.PciDevice;
import dev.pcikit.core.model.PciAddress;
import dev.pcikit.core.plan.GuestSpec;
import dev.pcikit.core.plan.InventoryHostFacts;
import dev.pcikit.core.plan.Plan;
import dev.pcikit.core.plan.Planner;
import dev.pcikit.core.plan.render.LibvirtRenderer;
import dev.pcikit.core.plan.render.QemuRenderer;
import dev.pcikit.core.plan.render.SummaryRenderer;
import dev.pcikit.core.sriov.SriovPools;
import dev.pcikit.core.sysfs.SystemRoot;
import dev.pcikit.core.vfio.PersistedBindings;
import dev.pcikit.core.vfio.VfioEngine;
import dev.pcikit.core.vfio.VfioEnvironment;
import dev.pcikit.formats.CheckJson;
import dev.pcikit.formats.DeviceJson;
import dev.pcikit.formats.DocumentFormat;
import dev.pcikit.formats.Documents;
import dev.pcikit.formats.GuestSpecReader;
import dev.pcikit.formats.InventoryJson;
import dev.pcikit.formats.PlanJson;
import dev.pcikit.formats.StatusJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.node.ObjectNode;

/**
 * The documents of the read routes, built by the formats module exactly as the CLI's {@code -o
 * json} builds them (the same selection rules, the same names, fingerprints and holders), so that
 * an answer and the CLI's output compare equal for the same host.
 */
final class Docs {
  private final Path pciIds;
  private final SystemRoot root;
  private Set<Integer> namedVendors;
  private DeviceNames names;

  Docs(Path pciIds, Path root) {
    this.pciIds = pciIds;
    this.root = new SystemRoot(root);
  }

  /** Names for the vendors present (pci.ids is parsed again only when that set changes). */
  synchronized DeviceNames names(Inventory inv) {
    Set<Integer> vendors = new TreeSet<>();
    for (PciDevice d : inv.devices()) {
      vendors.add(d.vendor());
      vendors.add(d.subsystemVendor());
    }
    if (!vendors.equals(namedVendors)) {
      names = new DeviceNames(PciIdsLocator.load(pciIds, root, vendors));
      namedVendors = vendors;
    }
    return names;
  }

  /** Who holds the VFIO groups ({@link Host#holders}, as the CLI asks). */
  static Holders holders(Host host) {
    return host.holders();
  }

  /** {@code pcikit list -o json [-s SLOT] [-d IDS]}. */
  ObjectNode devices(Host host, String slot, String ids) {
    Inventory inv = host.inventory(InventoryReader.Detail.LISTING);
    List<PciDevice> shown = inv.select(slot, ids);
    return InventoryJson.list(
        inv, shown, names(inv), host.fingerprints(inv.devices()), holders(host), null);
  }

  /** {@code pcikit show -o json BDF}: exactly one device. */
  ObjectNode device(Host host, String bdf) {
    PciAddress a = Paths.address("bdf", bdf);
    Inventory inv = host.inventory(InventoryReader.Detail.FULL);
    PciDevice d =
        inv.device(a)
            .orElseThrow(() -> new PcikitException(Failure.NOT_FOUND, "no PCI device " + a));
    return DeviceJson.document(
        inv, d, names(inv), DeviceJson.Extras.of(host.sysfs(), holders(host), inv, d));
  }

  /** {@code pcikit groups -o json [-s] [-d]}: the groups holding a selected device. */
  ObjectNode groups(Host host, String slot, String ids) {
    Inventory inv = host.inventory(InventoryReader.Detail.LISTING);
    Set<PciAddress> selected = new HashSet<>();
    inv.select(slot, ids).forEach(d -> selected.add(d.address()));
    List<IommuGroup> groups =
        inv.groups().values().stream()
            .filter(g -> g.members().stream().anyMatch(selected::contains))
            .toList();
    return InventoryJson.groups(inv, groups, names(inv));
  }

  /** {@code pcikit check -o json [DEV...]}: DEV as lspci -s slots, each must match. */
  ObjectNode check(Host host, List<String> devices) {
    Inventory inv = host.inventory(InventoryReader.Detail.FULL);
    List<PciDevice> selected = inv.selectEach(devices);
    CheckReport report = host.checker().run(inv, selected, !devices.isEmpty());
    return CheckJson.document(
        report,
        inv,
        names(inv),
        host.fingerprints(inv.devices())
            .readEach(report.devices().stream().map(d -> d.address()).toList()),
        holders(host));
  }

  /** {@code pcikit sriov status -o json}. */
  ObjectNode sriov(Host host) {
    SriovPools pools = new SriovPools(host.vfioEnvironment());
    try {
      return StatusJson.sriov(pools.status(List.of()), pools.detachedVfs(List.of()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code pcikit vfio status -o json}. */
  ObjectNode vfio(Host host) {
    VfioEnvironment env = host.vfioEnvironment();
    try {
      VfioEngine.Status st = new VfioEngine(env).status();
      return StatusJson.vfio(
          st,
          new PersistedBindings(env.etcDir()).file(),
          env.etcDir().resolve("driverctl.d"),
          holders(host),
          // only the VFIO devices' fingerprints are printed: no inventory to reuse
          new FingerprintReader(env.sysfs()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code pcikit recover -o json}. */
  ObjectNode recovered(List<dev.pcikit.core.host.Recovery.Recovered> done) {
    return StatusJson.recovered(done);
  }

  /** A guest spec from a request body (YAML or JSON); unknown keys are refused by name. */
  static GuestSpec guest(String text) {
    return GuestSpecReader.parse(text, "request body");
  }

  /** {@code pcikit plan -o FORMAT}: the rendering and its media type. */
  record Rendering(String mediaType, String text) {}

  static Rendering plan(Host host, GuestSpec guest, String format) {
    Inventory inv = host.inventory(InventoryReader.Detail.FULL);
    Plan plan = Planner.plan(guest, InventoryHostFacts.of(inv, host.sysfs()), Optional.empty());
    return switch (format) {
      case "summary" -> new Rendering("text/plain", SummaryRenderer.render(plan));
      case "libvirt" -> new Rendering("application/xml", LibvirtRenderer.domain(plan));
      case "fragments" -> new Rendering("application/xml", LibvirtRenderer.fragments(plan));
      case "qemu" -> new Rendering("text/plain", QemuRenderer.render(plan));
      case "json" ->
          new Rendering(
              Reply.JSON, Documents.printed(PlanJson.document(plan), DocumentFormat.JSON));
      default ->
          throw new PcikitException(
              Failure.INVALID_ARGUMENT,
              "format must be summary, libvirt, fragments, qemu or json, not "
                  + Problems.quote(format));
    };
  }

  /** {@code pcikit draw host}. */
  String hostSvg(Host host, String title) {
    Inventory inv = host.inventory(InventoryReader.Detail.FULL);
    DeviceNames n = names(inv);
    return new HostPicture(title, inv, d -> n.shortName(d.vendor(), d.device()), false).svg();
  }

  /** {@code pcikit draw plan}. */
  String planSvg(Host host, GuestSpec guest) {
    Inventory inv = host.inventory(InventoryReader.Detail.FULL);
    Plan plan = Planner.plan(guest, InventoryHostFacts.of(inv, host.sysfs()), Optional.empty());
    DeviceNames n = names(inv);
    return new PlanPicture(PlanPicture.title(plan), PlanViews.of(plan, inv, n)).svg();
  }
}
