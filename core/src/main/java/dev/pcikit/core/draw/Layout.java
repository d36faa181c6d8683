package dev.pcikit.core.draw;

import java.util.List;

/**
 * Where everything of a picture goes, in pixels; produced by {@link TreeLayout}, written by {@link
 * SvgWriter}. Separate from the writer so that overlaps can be tested on geometry.
 */
public record Layout(
    int width,
    int height,
    String title,
    List<Box> boxes,
    List<Shade> shades,
    List<Edge> edges,
    List<Legend> legend,
    List<Link> links,
    List<Heading> headings) {

  public Layout {
    links = List.copyOf(links);
    headings = List.copyOf(headings);
    boxes = List.copyOf(boxes);
    shades = List.copyOf(shades);
    edges = List.copyOf(edges);
    legend = List.copyOf(legend);
  }

  /** A node's box and its text lines. */
  public record Box(int x, int y, int w, int h, String id, NodeStyle style, List<String> lines) {
    public Box {
      lines = List.copyOf(lines);
    }

    public boolean overlaps(Box o) {
      return x < o.x + o.w && o.x < x + w && y < o.y + o.h && o.y < y + h;
    }
  }

  /** A shaded region behind boxes of one IOMMU group, with its label at the right. */
  public record Shade(int x, int y, int w, int h, int shade, String label, int labelX, int labelY) {
    public boolean overlaps(Shade o) {
      return x < o.x + o.w && o.x < x + w && y < o.y + o.h && o.y < y + h;
    }
  }

  /** An orthogonal connector (x1,y1) → (x1,y2) → (x2,y2); a PF→VF link when {@code vfLink}. */
  public record Edge(int x1, int y1, int y2, int x2, boolean vfLink) {}

  /** A straight link from a box to its peer in the second column. */
  public record Link(int x1, int y, int x2) {}

  /** A column heading. */
  public record Heading(int x, int y, String text) {}

  /** A legend entry: a swatch of a style (or a group shade, or a VF link) and its text. */
  public record Legend(int x, int y, String kind, String text) {}
}
