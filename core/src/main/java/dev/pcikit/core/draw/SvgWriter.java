package dev.pcikit.core.draw;

import java.util.Map;

/**
 * Writes a {@link Layout} as a standalone SVG 1.1 document: presentation attributes only (no CSS,
 * no scripts, no external references), every text escaped, so browsers and converters render it
 * alike.
 */
public final class SvgWriter {
  static final String FONT_FAMILY = "DejaVu Sans Mono, Menlo, Consolas, monospace";

  private record Look(String fill, String stroke, String strokeWidth, String dash) {}

  private static final Map<NodeStyle, Look> LOOKS =
      Map.of(
          NodeStyle.PLATFORM, new Look("#e6ebf2", "#5b6b7f", "1", ""),
          NodeStyle.HOST_DRIVER, new Look("#ffffff", "#3f6fb0", "1.2", ""),
          NodeStyle.VFIO, new Look("#ffd9a0", "#c45f00", "2.5", ""),
          NodeStyle.NO_DRIVER, new Look("#f5f5f5", "#8a8a8a", "1.2", "5,3"),
          NodeStyle.NOT_RESPONDING, new Look("#ffd0d0", "#b00020", "2.5", "2,2"));

  private static final String[] SHADE_FILL = {"#d8efd3", "#d6e6f7"};
  private static final String[] SHADE_STROKE = {"#8fbf84", "#86a9d1"};
  private static final String VF_LINK = "#7b3fa0";

  private SvgWriter() {}

  /** The fill colour of a style ("#rrggbb"). */
  public static String fill(NodeStyle style) {
    return LOOKS.get(style).fill();
  }

  public static String write(Layout l) {
    StringBuilder s = new StringBuilder(64 * 1024);
    s.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    SvgTag.of(s, "svg")
        .attr("xmlns", "http://www.w3.org/2000/svg")
        .attr("version", "1.1")
        .attr("width", l.width())
        .attr("height", l.height())
        .attr("viewBox", "0 0 " + l.width() + " " + l.height())
        .attr("font-family", FONT_FAMILY)
        .attr("font-size", TreeLayout.FONT)
        .open()
        .append('\n');
    SvgTag.of(s, "title").text(l.title()).append('\n');
    SvgTag.of(s, "rect")
        .attr("x", 0)
        .attr("y", 0)
        .attr("width", "100%")
        .attr("height", "100%")
        .attr("fill", "#ffffff")
        .empty()
        .append('\n');
    SvgTag.of(s, "text")
        .attr("x", TreeLayout.MARGIN)
        .attr("y", TreeLayout.MARGIN + TreeLayout.TITLE_FONT)
        .attr("font-size", TreeLayout.TITLE_FONT)
        .attr("font-weight", "bold")
        .text(l.title())
        .append('\n');
    legend(s, l);
    s.append("<g class=\"groups\">\n");
    for (Layout.Shade sh : l.shades()) {
      rect(s, "group", sh.x(), sh.y(), sh.w(), sh.h(), 6)
          .attr("fill", SHADE_FILL[sh.shade()])
          .attr("stroke", SHADE_STROKE[sh.shade()])
          .empty()
          .append('\n');
      text(s, "group-label", sh.labelX(), sh.labelY())
          .attr("fill", "#2f4f2f")
          .text(sh.label())
          .append('\n');
    }
    s.append("</g>\n<g class=\"edges\" fill=\"none\">\n");
    for (Layout.Edge e : l.edges()) {
      SvgTag path =
          SvgTag.of(s, "path")
              .attr("d", "M" + e.x1() + "," + e.y1() + " V" + e.y2() + " H" + e.x2());
      if (e.vfLink()) {
        path.attr("stroke", VF_LINK).attr("stroke-width", "1.5").dash("4,3");
      } else {
        path.attr("stroke", "#555555").attr("stroke-width", "1.2");
      }
      path.empty().append('\n');
    }
    for (Layout.Link k : l.links()) {
      SvgTag.of(s, "path")
          .attr("class", "link")
          .attr("d", "M" + k.x1() + "," + k.y() + " H" + k.x2())
          .attr("stroke", "#c45f00")
          .attr("stroke-width", "1.5")
          .empty()
          .append('\n');
    }
    s.append("</g>\n");
    for (Layout.Heading h : l.headings()) {
      text(s, "heading", h.x(), h.y()).attr("font-weight", "bold").text(h.text()).append('\n');
    }
    s.append("<g class=\"nodes\">\n");
    for (Layout.Box b : l.boxes()) {
      box(s, b);
    }
    s.append("</g>\n</svg>\n");
    return s.toString();
  }

  /** A {@code text} of the given class at x, y, open for more attributes. */
  private static SvgTag text(StringBuilder s, String cls, int x, int y) {
    return SvgTag.of(s, "text").attr("class", cls).attr("x", x).attr("y", y);
  }

  /** A {@code rect} of the given class and corner radius, open for more attributes. */
  private static SvgTag rect(StringBuilder s, String cls, int x, int y, int w, int h, int rx) {
    return SvgTag.of(s, "rect")
        .attr("class", cls)
        .attr("x", x)
        .attr("y", y)
        .attr("width", w)
        .attr("height", h)
        .attr("rx", rx);
  }

  /** A rect in a node style's fill and stroke. */
  private static void styled(SvgTag rect, Look look) {
    rect.attr("fill", look.fill())
        .attr("stroke", look.stroke())
        .attr("stroke-width", look.strokeWidth())
        .dash(look.dash())
        .empty();
  }

  private static void box(StringBuilder s, Layout.Box b) {
    SvgTag.of(s, "g").attr("id", Xml.escape(idOf(b.id()))).open();
    styled(rect(s, "node", b.x(), b.y(), b.w(), b.h(), 3), LOOKS.get(b.style()));
    for (int i = 0; i < b.lines().size(); i++) {
      SvgTag t =
          SvgTag.of(s, "text")
              .attr("x", b.x() + TreeLayout.PAD_X)
              .attr("y", b.y() + TreeLayout.PAD_Y + (i + 1) * TreeLayout.LINE_H - 4);
      if (i == 0 || b.style() == NodeStyle.VFIO) {
        t.attr("font-weight", "bold");
      }
      if (i > 0) {
        t.attr("fill", b.style() == NodeStyle.VFIO ? "#8a3c00" : "#333333");
      }
      t.attr("xml:space", "preserve").text(b.lines().get(i));
    }
    s.append("</g>\n");
  }

  /** An XML id from a BDF or run name: letters, digits, '-', '_', '.'. */
  static String idOf(String id) {
    return "n-" + id.replaceAll("[^A-Za-z0-9_.-]", "_");
  }

  private static void legend(StringBuilder s, Layout l) {
    s.append("<g class=\"legend\">\n");
    for (Layout.Legend e : l.legend()) {
      int x = e.x();
      int y = e.y();
      switch (e.kind()) {
        case "shade" ->
            rect(s, "legend", x, y, 26, 16, 4)
                .attr("fill", SHADE_FILL[0])
                .attr("stroke", SHADE_STROKE[0])
                .empty();
        case "vflink" ->
            SvgTag.of(s, "path")
                .attr("d", "M" + x + "," + (y + 8) + " H" + (x + 26))
                .attr("stroke", VF_LINK)
                .attr("stroke-width", "1.5")
                .dash("4,3")
                .attr("fill", "none")
                .empty();
        default ->
            styled(rect(s, "legend", x, y, 26, 16, 3), LOOKS.get(NodeStyle.valueOf(e.kind())));
      }
      SvgTag.of(s, "text").attr("x", x + 30).attr("y", y + 13).text(e.text()).append('\n');
    }
    s.append("</g>\n");
  }
}
