package dev.pcikit.core.draw;

import dev.pcikit.core.plan.Plan;
import java.util.ArrayList;
import java.util.List;

/**
 * The picture of a guest plan: the guest's controllers and devices as a tree on the left, each
 * device linked to the host function it comes from on the right.
 */
public final class PlanPicture {
  private final String title;
  private final List<TreeNode> tree;

  public PlanPicture(String title, PlanView plan) {
    this.title = title;
    this.tree = List.of(tree(plan));
  }

  /** The title a plan's picture has unless the user gives one: its name and machine. */
  public static String title(Plan plan) {
    return "Plan " + plan.name() + " (" + plan.machine().qemuName() + ")";
  }

  public List<TreeNode> tree() {
    return tree;
  }

  static TreeNode tree(PlanView plan) {
    List<TreeNode> controllers = new ArrayList<>();
    int i = 0;
    for (PlanView.Controller c : plan.controllers()) {
      List<TreeNode> devices = new ArrayList<>();
      for (PlanView.Device d : c.devices()) {
        PlanView.Host h = d.host();
        List<String> hostLines =
            List.of(
                h.bdf() + (h.name().isEmpty() ? "" : "  " + cut(h.name())),
                "driver "
                    + (h.driver() == null ? "none" : h.driver())
                    + (h.group() == null ? "" : " · IOMMU group " + h.group())
                    + (h.numaNode() >= 0 ? " · NUMA " + h.numaNode() : ""));
        NodeStyle hostStyle =
            h.driver() != null && dev.pcikit.core.inventory.PciDevice.isVfioDriver(h.driver())
                ? NodeStyle.VFIO
                : h.driver() == null ? NodeStyle.NO_DRIVER : NodeStyle.HOST_DRIVER;
        devices.add(
            new TreeNode(
                "guest:" + d.alias(),
                List.of(
                    d.guestAddress() + "  " + d.alias(),
                    d.marks().isEmpty() ? "passthrough" : String.join(" · ", d.marks())),
                NodeStyle.VFIO,
                null,
                false,
                List.of(),
                new TreeNode.Peer("host:" + h.bdf(), hostLines, hostStyle)));
      }
      List<String> lines = new ArrayList<>();
      lines.add(c.label());
      if (!c.marks().isEmpty()) {
        lines.add(String.join(" · ", c.marks()));
      }
      NodeStyle style =
          c.warning()
              ? NodeStyle.NOT_RESPONDING
              : c.spare() ? NodeStyle.NO_DRIVER : NodeStyle.PLATFORM;
      controllers.add(new TreeNode("ctl" + i++, lines, style, null, false, devices));
    }
    return new TreeNode(
        "guest",
        List.of("guest " + plan.name() + " · machine " + plan.machine()),
        NodeStyle.PLATFORM,
        null,
        false,
        controllers);
  }

  private static String cut(String name) {
    int max = HostTreeBuilder.NAME_MAX;
    return name.length() <= max ? name : name.substring(0, max - 1) + "…";
  }

  public Layout layout() {
    return TreeLayout.layout(title, tree, "Guest topology", "Host devices");
  }

  public String svg() {
    return SvgWriter.write(layout());
  }

  public String dot() {
    return DotWriter.write(title, tree);
  }
}
