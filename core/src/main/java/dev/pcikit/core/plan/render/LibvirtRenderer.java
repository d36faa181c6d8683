package dev.pcikit.core.plan.render;

import dev.pcikit.core.model.PciAddress;
import dev.pcikit.core.plan.ControllerKind;
import dev.pcikit.core.plan.ExistingDomain;
import dev.pcikit.core.plan.GuestAddress;
import dev.pcikit.core.plan.MachineType;
import dev.pcikit.core.plan.Plan;
import dev.pcikit.core.plan.PlannedController;
import dev.pcikit.core.plan.PlannedDevice;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * libvirt domain XML: whole domains, or the {@code <controller>}/{@code <hostdev>} fragments a plan
 * adds. With an existing domain, the fragments are inserted just before {@code </devices>} and
 * every other byte of the input is kept.
 */
public final class LibvirtRenderer {
  private static final String IND = "    ";

  private LibvirtRenderer() {}

  /** The whole domain: the existing one with the new elements, or a minimal new one. */
  public static String domain(Plan plan) {
    if (plan.base().isPresent()) {
      return insert(plan.base().get(), fragments(plan));
    }
    StringBuilder b = new StringBuilder();
    MachineType m = plan.machine();
    b.append("<domain type='kvm'>\n");
    b.append("  <name>").append(Xml.escape(plan.name())).append("</name>\n");
    TreeSet<Integer> nodes = new TreeSet<>();
    plan.controllers().stream()
        .filter(c -> c.numaNode() >= 0)
        .forEach(c -> nodes.add(c.numaNode()));
    int cells = nodes.isEmpty() ? 0 : nodes.last() + 1;
    b.append("  <memory unit='MiB'>").append(Math.max(1, cells) * 1024).append("</memory>\n");
    b.append("  <vcpu>").append(Math.max(1, cells)).append("</vcpu>\n");
    if (cells > 0) {
      // a PHB's <node> must name a guest NUMA cell; one cell per host node used
      b.append("  <cpu>\n    <numa>\n");
      for (int i = 0; i < cells; i++) {
        b.append("      <cell id='")
            .append(i)
            .append("' cpus='")
            .append(i)
            .append("' memory='1024' unit='MiB'/>\n");
      }
      b.append("    </numa>\n  </cpu>\n");
    }
    b.append("  <os>\n    <type arch='")
        .append(m.arch())
        .append("' machine='")
        .append(m.qemuName())
        .append("'>hvm</type>\n  </os>\n");
    b.append("  <devices>\n");
    switch (m) {
      case PSERIES ->
          b.append(IND)
              .append("<controller type='pci' index='0' model='pci-root'>\n")
              .append(IND)
              .append("  <model name='spapr-pci-host-bridge'/>\n")
              .append(IND)
              .append("  <target index='0'/>\n")
              .append(IND)
              .append("</controller>\n");
      case Q35, VIRT ->
          b.append(IND).append("<controller type='pci' index='0' model='pcie-root'/>\n");
      case S390_CCW_VIRTIO ->
          b.append(IND).append("<controller type='pci' index='0' model='pci-root'/>\n");
    }
    b.append(fragments(plan));
    b.append("  </devices>\n</domain>\n");
    return b.toString();
  }

  /**
   * The new {@code <controller>} and {@code <hostdev>} elements, indented for {@code <devices>}.
   */
  public static String fragments(Plan plan) {
    StringBuilder b = new StringBuilder();
    for (PlannedController c : plan.controllers()) {
      b.append(controller(c, IND));
    }
    for (PlannedDevice d : plan.devices()) {
      b.append(hostdev(d, IND));
    }
    return b.toString();
  }

  /** One standalone {@code <hostdev>} per device, for {@code virsh attach-device}. */
  public static List<String> hostdevs(Plan plan) {
    List<String> out = new ArrayList<>();
    for (PlannedDevice d : plan.devices()) {
      out.add(hostdev(d, ""));
    }
    return out;
  }

  static String controller(PlannedController c, String ind) {
    StringBuilder b = new StringBuilder();
    b.append(ind)
        .append("<controller type='pci' index='")
        .append(c.index())
        .append("' model='")
        .append(c.kind().libvirtModel())
        .append("'>\n");
    b.append(ind).append("  <model name='").append(c.kind().qemuDevice()).append("'/>\n");
    if (c.kind() == ControllerKind.SPAPR_PHB) {
      if (c.numaNode() >= 0) {
        b.append(ind).append("  <target index='").append(c.phbIndex()).append("'>\n");
        b.append(ind).append("    <node>").append(c.numaNode()).append("</node>\n");
        b.append(ind).append("  </target>\n");
      } else {
        b.append(ind).append("  <target index='").append(c.phbIndex()).append("'/>\n");
      }
    } else if (c.kind() == ControllerKind.PCIE_ROOT_PORT) {
      b.append(ind)
          .append("  <target chassis='")
          .append(c.chassis())
          .append("' port='")
          .append(Xml.hex2(c.port()))
          .append("'/>\n");
    }
    c.address()
        .ifPresent(
            a -> b.append(ind).append("  ").append(address(a, c.multifunction())).append("\n"));
    b.append(ind).append("</controller>\n");
    return b.toString();
  }

  static String hostdev(PlannedDevice d, String ind) {
    StringBuilder b = new StringBuilder();
    b.append(ind)
        .append("<hostdev mode='subsystem' type='pci' managed='")
        .append(d.managed() ? "yes" : "no")
        .append("'>\n");
    // <driver model=…/> selects a VFIO variant driver (libvirt 10.0 and later)
    d.driverModel()
        .ifPresent(
            m -> b.append(ind).append("  <driver model='").append(Xml.escape(m)).append("'/>\n"));
    PciAddress h = d.host().address();
    b.append(ind).append("  <source>\n");
    b.append(ind)
        .append("    <address domain='")
        .append(String.format(Locale.ROOT, "0x%04x", h.domain()))
        .append("' bus='")
        .append(Xml.hex2(h.bus()))
        .append("' slot='")
        .append(Xml.hex2(h.device()))
        .append("' function='0x")
        .append(h.function())
        .append("'/>\n");
    b.append(ind).append("  </source>\n");
    if (d.zpci().isPresent()) {
      String a = address(d.address(), d.multifunction());
      b.append(ind).append("  ").append(a, 0, a.length() - 2).append(">\n");
      b.append(ind)
          .append("    <zpci uid='")
          .append(String.format(Locale.ROOT, "0x%04x", d.zpci().get().uid()))
          .append("' fid='")
          .append(String.format(Locale.ROOT, "0x%08x", d.zpci().get().fid()))
          .append("'/>\n");
      b.append(ind).append("  </address>\n");
    } else {
      b.append(ind).append("  ").append(address(d.address(), d.multifunction())).append("\n");
    }
    b.append(ind).append("</hostdev>\n");
    return b.toString();
  }

  static String address(GuestAddress a, boolean multifunction) {
    return "<address type='pci' domain='0x0000' bus='"
        + Xml.hex2(a.bus())
        + "' slot='"
        + Xml.hex2(a.slot())
        + "' function='0x"
        + a.function()
        + "'"
        + (multifunction ? " multifunction='on'" : "")
        + "/>";
  }

  /** Inserts the fragments before the domain's {@code </devices>} line, changing nothing else. */
  static String insert(ExistingDomain d, String fragments) {
    String text = d.text();
    if (fragments.isEmpty()) {
      return text;
    }
    int end = text.lastIndexOf("</devices>");
    if (end < 0) {
      int dom = text.lastIndexOf("</domain>");
      return text.substring(0, dom)
          + "  <devices>\n"
          + fragments
          + "  </devices>\n"
          + text.substring(dom);
    }
    int lineStart = text.lastIndexOf('\n', end) + 1;
    boolean ownLine = text.substring(lineStart, end).isBlank();
    int at = ownLine ? lineStart : end;
    return text.substring(0, at) + (ownLine ? "" : "\n") + fragments + text.substring(at);
  }
}
