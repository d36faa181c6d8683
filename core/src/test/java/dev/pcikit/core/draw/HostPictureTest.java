package dev.pcikit.core.draw;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.core.testhosts.Hosts;
import dev.pcikit.core.testhosts.SyntheticHost;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostPictureTest {
  /** DejaVu Sans Mono's advance width: what the text really takes at a font size. */
  static final double ADVANCE = 0.602;

  static final double MIN_FONT = 11;

  @Test
  void goldenSvgAndDot() throws IOException {
    for (Map.Entry<String, HostPicture> e : Pictures.all().entrySet()) {
      golden(e.getKey() + ".svg", e.getValue().svg());
    }
    golden("x86-workstation.dot", Pictures.all().get("x86-workstation").dot());
    PlanPicture plan = Pictures.plannedPseries();
    golden("plan-pseries.svg", plan.svg());
    golden("plan-pseries.dot", plan.dot());
    golden("plan-sample.svg", new PlanPicture("Plan db1 on power9", Pictures.pseriesPlan()).svg());
  }

  private static void golden(String name, String actual) throws IOException {
    Path file = Pictures.GOLDEN.resolve(name);
    if (Pictures.regenerate()) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, actual, StandardCharsets.UTF_8);
    }
    assertThat(file).as("golden %s (regenerate with -Dpcikit.regenerate=true)", name).exists();
    assertThat(actual).as(name).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
  }

  @Test
  void everyPictureIsReadable() throws Exception {
    for (Map.Entry<String, HostPicture> e : Pictures.all().entrySet()) {
      assertReadable(e.getKey(), e.getValue().svg());
    }
  }

  @Test
  void planPictureLinksEachGuestDeviceToItsHostFunction() throws Exception {
    PlanPicture plan = new PlanPicture("Plan", Pictures.pseriesPlan());
    Layout l = plan.layout();
    SvgGeometry g = assertReadable("plan", plan.svg());
    assertThat(l.links()).hasSize(4);
    for (Layout.Link k : l.links()) {
      Layout.Box guest =
          l.boxes().stream()
              .filter(b -> b.x() + b.w() == k.x1() && b.y() < k.y() && k.y() < b.y() + b.h())
              .findFirst()
              .orElseThrow();
      assertThat(guest.id()).startsWith("guest:");
      Layout.Box host =
          l.boxes().stream()
              .filter(b -> b.x() == k.x2() && b.y() == guest.y())
              .findFirst()
              .orElseThrow();
      assertThat(host.id()).startsWith("host:");
    }
    assertThat(g.texts).anyMatch(t -> t.content().equals("Host devices"));
    assertThat(g.texts).anyMatch(t -> t.content().contains("EEH: isolated (group 2)"));
    assertThat(plan.dot()).contains("\"guest:hostdev0\" -> \"host:0030:01:00.0\"");
  }

  @Test
  void plannedPseriesPictureShowsThePlannersMarks() throws Exception {
    PlanPicture plan = Pictures.plannedPseries();
    SvgGeometry g = assertReadable("planned", plan.svg());
    List<String> texts = g.texts.stream().map(SvgGeometry.Text::content).toList();
    assertThat(texts).anyMatch(t -> t.startsWith("EEH: isolated (group "));
    assertThat(texts).anyMatch(t -> t.contains("spare for hotplug"));
    assertThat(texts).anyMatch(t -> t.contains("no ECS"));
    assertThat(texts).anyMatch(t -> t.startsWith("0030:01:00.0  NVIDIA GV100GL"));
    // Four requested, and 0001:01:00.1 joins its function 0 (same group).
    assertThat(plan.layout().links()).hasSize(5);
    assertThat(texts).anyMatch(t -> t.contains("added with its group"));
  }

  @Test
  void fourPfsWith128VfsEachStayReadableExpandedAndCollapsed() throws Exception {
    SyntheticHost h = Hosts.nicFarm(4, 128);
    HostPicture collapsed = Pictures.picture("nic farm", h, false);
    HostPicture expanded = Pictures.picture("nic farm", h, true);
    SvgGeometry c = assertReadable("collapsed", collapsed.svg());
    SvgGeometry x = assertReadable("expanded", expanded.svg());
    // 1 root bus, host bridge, 4 root ports, 4 PFs, 2 VF runs per PF (vfio-pci, iavf).
    assertThat(c.nodes).hasSize(1 + 1 + 4 + 4 + 8);
    assertThat(c.texts)
        .anyMatch(t -> t.content().startsWith("64 × VF  0000:10:00.1 – 0000:10:08.0"));
    assertThat(c.texts).anyMatch(t -> t.content().equals("IOMMU groups 3–66 (one per VF)"));
    assertThat(x.nodes).hasSize(1 + 1 + 4 + 4 + 512);
  }

  @Test
  void vfRunsSplitWhereTheDriverChanges() {
    List<TreeNode> tree = Pictures.picture("t", Hosts.nicFarm(1, 6), false).tree();
    TreeNode pf = tree.get(0).children().get(1).children().get(0);
    assertThat(pf.id()).isEqualTo("0000:10:00.0");
    assertThat(pf.children())
        .extracting(TreeNode::id)
        .containsExactly("vfs:0000:10:00.1-0000:10:00.3", "vfs:0000:10:00.4-0000:10:00.6");
    assertThat(pf.children()).allMatch(TreeNode::viaVfLink);
    assertThat(pf.children().get(0).style()).isEqualTo(NodeStyle.VFIO);
    assertThat(pf.children().get(1).style()).isEqualTo(NodeStyle.HOST_DRIVER);
    assertThat(pf.lines().get(1)).contains("driver ice").contains("PF 6/256 VFs");
  }

  @Test
  void textIsEscapedForXml() throws Exception {
    SyntheticHost h = new SyntheticHost();
    h.onRoot("0000:00:02.0", 0x1234, 0x5678, 0x020000).driver("we<ird>&\"drv'").group(1);
    String title = "host <a> & \"b\" 'c' \u0001";
    HostPicture p = new HostPicture(title, h.inventory(), d -> "Name & <Co> \"q\"", false);
    String svg = p.svg();
    SvgGeometry g = SvgGeometry.parse(svg);
    assertThat(g.texts).anyMatch(t -> t.content().contains("Name & <Co> \"q\""));
    assertThat(g.texts).anyMatch(t -> t.content().contains("driver we<ird>&\"drv'"));
    assertThat(g.texts).anyMatch(t -> t.content().equals("host <a> & \"b\" 'c' \uFFFD"));
    assertThat(svg).doesNotContain("<Co>").doesNotContain("\u0001");
    assertThat(p.dot()).contains("Name & <Co> \\\"q\\\"");
  }

  @Test
  void dotHasClustersForGroupsAndDashedVfLinks() {
    String dot = Pictures.picture("t", Hosts.nicFarm(1, 2), true).dot();
    assertThat(dot).startsWith("digraph pcikit {");
    assertThat(dot).contains("subgraph \"cluster_g2\"");
    assertThat(dot).contains("\"0000:10:00.0\" -> \"0000:10:00.1\" [style=dashed");
    assertThat(dot.chars().filter(c -> c == '{').count())
        .isEqualTo(dot.chars().filter(c -> c == '}').count());
    assertThat(DotWriter.quote("a\"b\\c\nd")).isEqualTo("\"a\\\"b\\\\c\\nd\"");
  }

  /**
   * Checks the SVG document itself: well-formed, fonts at least 11 px, no two device boxes or group
   * regions overlapping, every box's text inside its box, other text clear of the boxes, all inside
   * the canvas.
   */
  static SvgGeometry assertReadable(String name, String svg) throws Exception {
    SvgGeometry g = SvgGeometry.parse(svg);
    assertThat(g.nodes).as(name + ": boxes").isNotEmpty();
    assertThat(SvgGeometry.overlaps(g.nodes)).as(name + ": overlapping boxes").isEmpty();
    assertThat(SvgGeometry.overlaps(g.groups)).as(name + ": overlapping groups").isEmpty();
    List<SvgGeometry.Rect> legendAndNodes = new ArrayList<>(g.legend);
    legendAndNodes.addAll(g.nodes);
    assertThat(SvgGeometry.overlaps(legendAndNodes)).as(name + ": legend over boxes").isEmpty();
    List<SvgGeometry.Rect> freeText = new ArrayList<>();
    for (SvgGeometry.Text t : g.texts) {
      assertThat(t.fontSize())
          .as(name + ": font of '%s'", t.content())
          .isGreaterThanOrEqualTo(MIN_FONT);
      double w = t.content().codePointCount(0, t.content().length()) * t.fontSize() * ADVANCE;
      SvgGeometry.Rect r =
          new SvgGeometry.Rect("text", t.x(), t.y() - 0.8 * t.fontSize(), w, t.fontSize());
      assertThat(r.x() + r.w())
          .as(name + ": '%s' beyond the canvas", t.content())
          .isLessThanOrEqualTo(g.width);
      assertThat(r.y() + r.h()).isLessThanOrEqualTo(g.height);
      if (t.box() != null) {
        SvgGeometry.Rect b = t.box();
        assertThat(r.x())
            .as(name + ": '%s' left of its box", t.content())
            .isGreaterThanOrEqualTo(b.x());
        assertThat(r.x() + r.w())
            .as(name + ": '%s' sticks out of its box", t.content())
            .isLessThanOrEqualTo(b.x() + b.w());
        assertThat(r.y()).isGreaterThanOrEqualTo(b.y());
        assertThat(t.y() + 0.25 * t.fontSize()).isLessThanOrEqualTo(b.y() + b.h());
      } else {
        for (SvgGeometry.Rect n : g.nodes) {
          assertThat(r.overlaps(n)).as(name + ": '%s' over box %s", t.content(), n).isFalse();
        }
        freeText.add(r);
      }
    }
    assertThat(SvgGeometry.overlaps(freeText)).as(name + ": overlapping labels").isEmpty();
    for (SvgGeometry.Rect r : g.nodes) {
      assertThat(r.x() + r.w()).isLessThanOrEqualTo(g.width);
      assertThat(r.y() + r.h()).isLessThanOrEqualTo(g.height);
    }
    return g;
  }
}
