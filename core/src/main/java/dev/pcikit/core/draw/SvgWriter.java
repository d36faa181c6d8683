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
    s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"")
        .append(l.width())
        .append("\" height=\"")
        .append(l.height())
        .append("\" viewBox=\"0 0 ")
        .append(l.width())
        .append(' ')
        .append(l.height())
        .append("\" font-family=\"")
        .append(FONT_FAMILY)
        .append("\" font-size=\"")
        .append(TreeLayout.FONT)
        .append("\">\n");
    s.append("<title>").append(Xml.escape(l.title())).append("</title>\n");
    s.append("<rect x=\"0\" y=\"0\" width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
    s.append("<text x=\"")
        .append(TreeLayout.MARGIN)
        .append("\" y=\"")
        .append(TreeLayout.MARGIN + TreeLayout.TITLE_FONT)
        .append("\" font-size=\"")
        .append(TreeLayout.TITLE_FONT)
        .append("\" font-weight=\"bold\">")
        .append(Xml.escape(l.title()))
        .append("</text>\n");
    legend(s, l);
    s.append("<g class=\"groups\">\n");
    for (Layout.Shade sh : l.shades()) {
      s.append("<rect class=\"group\" x=\"")
          .append(sh.x())
          .append("\" y=\"")
          .append(sh.y())
          .append("\" width=\"")
          .append(sh.w())
          .append("\" height=\"")
          .append(sh.h())
          .append("\" rx=\"6\" fill=\"")
          .append(SHADE_FILL[sh.shade()])
          .append("\" stroke=\"")
          .append(SHADE_STROKE[sh.shade()])
          .append("\"/>\n");
      s.append("<text class=\"group-label\" x=\"")
          .append(sh.labelX())
          .append("\" y=\"")
          .append(sh.labelY())
          .append("\" fill=\"#2f4f2f\">")
          .append(Xml.escape(sh.label()))
          .append("</text>\n");
    }
    s.append("</g>\n<g class=\"edges\" fill=\"none\">\n");
    for (Layout.Edge e : l.edges()) {
      s.append("<path d=\"M")
          .append(e.x1())
          .append(',')
          .append(e.y1())
          .append(" V")
          .append(e.y2())
          .append(" H")
          .append(e.x2())
          .append('"');
      if (e.vfLink()) {
        s.append(" stroke=\"")
            .append(VF_LINK)
            .append("\" stroke-width=\"1.5\" stroke-dasharray=\"4,3\"");
      } else {
        s.append(" stroke=\"#555555\" stroke-width=\"1.2\"");
      }
      s.append("/>\n");
    }
    for (Layout.Link k : l.links()) {
      s.append("<path class=\"link\" d=\"M")
          .append(k.x1())
          .append(',')
          .append(k.y())
          .append(" H")
          .append(k.x2())
          .append("\" stroke=\"#c45f00\" stroke-width=\"1.5\"/>\n");
    }
    s.append("</g>\n");
    for (Layout.Heading h : l.headings()) {
      s.append("<text class=\"heading\" x=\"")
          .append(h.x())
          .append("\" y=\"")
          .append(h.y())
          .append("\" font-weight=\"bold\">")
          .append(Xml.escape(h.text()))
          .append("</text>\n");
    }
    s.append("<g class=\"nodes\">\n");
    for (Layout.Box b : l.boxes()) {
      box(s, b);
    }
    s.append("</g>\n</svg>\n");
    return s.toString();
  }

  private static void box(StringBuilder s, Layout.Box b) {
    Look look = LOOKS.get(b.style());
    s.append("<g id=\"").append(Xml.escape(idOf(b.id()))).append("\">");
    s.append("<rect class=\"node\" x=\"")
        .append(b.x())
        .append("\" y=\"")
        .append(b.y())
        .append("\" width=\"")
        .append(b.w())
        .append("\" height=\"")
        .append(b.h())
        .append("\" rx=\"3\" fill=\"")
        .append(look.fill())
        .append("\" stroke=\"")
        .append(look.stroke())
        .append("\" stroke-width=\"")
        .append(look.strokeWidth())
        .append('"');
    if (!look.dash().isEmpty()) {
      s.append(" stroke-dasharray=\"").append(look.dash()).append('"');
    }
    s.append("/>");
    for (int i = 0; i < b.lines().size(); i++) {
      s.append("<text x=\"")
          .append(b.x() + TreeLayout.PAD_X)
          .append("\" y=\"")
          .append(b.y() + TreeLayout.PAD_Y + (i + 1) * TreeLayout.LINE_H - 4)
          .append('"');
      if (i == 0 || b.style() == NodeStyle.VFIO) {
        s.append(" font-weight=\"bold\"");
      }
      if (i > 0) {
        s.append(" fill=\"")
            .append(b.style() == NodeStyle.VFIO ? "#8a3c00" : "#333333")
            .append('"');
      }
      s.append(" xml:space=\"preserve\">").append(Xml.escape(b.lines().get(i))).append("</text>");
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
            s.append("<rect class=\"legend\" x=\"")
                .append(x)
                .append("\" y=\"")
                .append(y)
                .append("\" width=\"26\" height=\"16\" rx=\"4\" fill=\"")
                .append(SHADE_FILL[0])
                .append("\" stroke=\"")
                .append(SHADE_STROKE[0])
                .append("\"/>");
        case "vflink" ->
            s.append("<path d=\"M")
                .append(x)
                .append(',')
                .append(y + 8)
                .append(" H")
                .append(x + 26)
                .append("\" stroke=\"")
                .append(VF_LINK)
                .append("\" stroke-width=\"1.5\" stroke-dasharray=\"4,3\" fill=\"none\"/>");
        default -> {
          Look look = LOOKS.get(NodeStyle.valueOf(e.kind()));
          s.append("<rect class=\"legend\" x=\"")
              .append(x)
              .append("\" y=\"")
              .append(y)
              .append("\" width=\"26\" height=\"16\" rx=\"3\" fill=\"")
              .append(look.fill())
              .append("\" stroke=\"")
              .append(look.stroke())
              .append("\" stroke-width=\"")
              .append(look.strokeWidth())
              .append('"');
          if (!look.dash().isEmpty()) {
            s.append(" stroke-dasharray=\"").append(look.dash()).append('"');
          }
          s.append("/>");
        }
      }
      s.append("<text x=\"")
          .append(x + 30)
          .append("\" y=\"")
          .append(y + 13)
          .append("\">")
          .append(Xml.escape(e.text()))
          .append("</text>\n");
    }
    s.append("</g>\n");
  }
}
