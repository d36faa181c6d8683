package dev.pcikit.core.draw;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lays a topology tree out as an indented list, one box per row, as file managers draw trees: rows
 * never overlap however many devices there are, and a 4 PF × 128 VF host stays readable. IOMMU
 * groups are shaded bands behind consecutive rows of the same group, labelled in a right column.
 *
 * <p>Text is monospace (DejaVu Sans Mono or the viewer's monospace font) at {@link #FONT} px; its
 * width is estimated at {@link #CHAR_W} px per character, slightly more than DejaVu's 0.602 em, so
 * text stays inside its box.
 */
public final class TreeLayout {
  public static final int FONT = 13;
  public static final int CHAR_W = 8;
  public static final int LINE_H = 17;
  static final int PAD_X = 8;
  static final int PAD_Y = 6;
  static final int INDENT = 28;
  static final int ROW_GAP = 10;
  static final int MARGIN = 20;
  static final int SHADE_PAD = 4;
  static final int TITLE_FONT = 16;

  private final List<Layout.Box> boxes = new ArrayList<>();
  private final List<Layout.Edge> edges = new ArrayList<>();
  private final List<Row> rows = new ArrayList<>();
  private final List<Pending> pending = new ArrayList<>();

  /** A peer box waiting for the second column's x, once every first-column box is placed. */
  private record Pending(Layout.Box owner, TreeNode.Peer peer) {}

  private int y;

  static final String[][] HOST_LEGEND = {
    {"HOST_DRIVER", "host driver"},
    {"VFIO", "vfio-bound"},
    {"NO_DRIVER", "no driver"},
    {"PLATFORM", "root bus / bridge"},
    {"NOT_RESPONDING", "not responding"},
    {"shade", "IOMMU group"},
    {"vflink", "PF → VF"},
  };

  static final String[][] PLAN_LEGEND = {
    {"VFIO", "passed through / vfio-bound"},
    {"HOST_DRIVER", "host driver"},
    {"PLATFORM", "controller"},
    {"NO_DRIVER", "spare"},
    {"NOT_RESPONDING", "needs attention"},
  };

  private record Row(Layout.Box box, TreeNode.Region region) {}

  public static int textWidth(String s) {
    return s.codePointCount(0, s.length()) * CHAR_W;
  }

  public static Layout layout(String title, List<TreeNode> roots) {
    return new TreeLayout().run(title, roots, null, null);
  }

  /** Two columns: the tree, and the peers of its nodes under {@code rightHeading}. */
  public static Layout layout(
      String title, List<TreeNode> roots, String leftHeading, String rightHeading) {
    return new TreeLayout().run(title, roots, leftHeading, rightHeading);
  }

  private Layout run(String title, List<TreeNode> roots, String leftHeading, String rightHeading) {
    List<Layout.Legend> legend = new ArrayList<>();
    int legendY = MARGIN + TITLE_FONT + 14;
    int lx = MARGIN;
    String[][] items = leftHeading == null ? HOST_LEGEND : PLAN_LEGEND;
    for (String[] it : items) {
      legend.add(new Layout.Legend(lx, legendY, it[0], it[1]));
      lx += 30 + textWidth(it[1]) + 18;
    }
    int legendRight = lx;
    y = legendY + 16 + 24;
    int headingY = y + FONT;
    if (leftHeading != null) {
      y += LINE_H + 8;
    }
    for (TreeNode r : roots) {
      place(r, 0);
      y += ROW_GAP;
    }
    int maxRight = MARGIN;
    for (Layout.Box b : boxes) {
      maxRight = Math.max(maxRight, b.x() + b.w());
    }
    List<Layout.Shade> shades = shades(maxRight);
    int treeRight = maxRight;
    for (Layout.Shade sh : shades) {
      treeRight = Math.max(treeRight, sh.x() + sh.w());
    }
    List<Layout.Link> links = new ArrayList<>();
    List<Layout.Heading> headings = new ArrayList<>();
    int column = treeRight + 60;
    if (leftHeading != null) {
      headings.add(new Layout.Heading(MARGIN, headingY, leftHeading));
      headings.add(new Layout.Heading(column, headingY, rightHeading));
    }
    for (Pending p : pending) {
      int longest = 0;
      for (String l : p.peer().lines()) {
        longest = Math.max(longest, textWidth(l));
      }
      Layout.Box owner = p.owner();
      Layout.Box peer =
          new Layout.Box(
              column,
              owner.y(),
              longest + 2 * PAD_X,
              owner.h(),
              p.peer().id(),
              p.peer().style(),
              p.peer().lines());
      boxes.add(peer);
      links.add(new Layout.Link(owner.x() + owner.w(), owner.y() + owner.h() / 2, column));
      maxRight = Math.max(maxRight, peer.x() + peer.w());
    }
    int width = Math.max(maxRight, legendRight);
    for (Layout.Shade s : shades) {
      width = Math.max(width, s.x() + s.w());
    }
    width = Math.max(width + MARGIN, MARGIN + textWidth(title) * TITLE_FONT / FONT + MARGIN);
    if (leftHeading != null) {
      width = Math.max(width, column + textWidth(rightHeading));
    }
    return new Layout(width, y + MARGIN, title, boxes, shades, edges, legend, links, headings);
  }

  /** Places a node at the current row, then its children; returns its box. */
  private Layout.Box place(TreeNode n, int depth) {
    int longest = 0;
    for (String l : n.lines()) {
      longest = Math.max(longest, textWidth(l));
    }
    int lines = n.lines().size();
    if (n.peer() != null) {
      lines = Math.max(lines, n.peer().lines().size());
    }
    Layout.Box box =
        new Layout.Box(
            MARGIN + depth * INDENT,
            y,
            longest + 2 * PAD_X,
            lines * LINE_H + 2 * PAD_Y,
            n.id(),
            n.style(),
            n.lines());
    boxes.add(box);
    rows.add(new Row(box, n.group()));
    if (n.peer() != null) {
      pending.add(new Pending(box, n.peer()));
    }
    y += box.h() + ROW_GAP;
    int vx = box.x() + INDENT / 2;
    int prevY = box.y() + box.h();
    for (TreeNode c : n.children()) {
      Layout.Box cb = place(c, depth + 1);
      int cy = cb.y() + cb.h() / 2;
      edges.add(new Layout.Edge(vx, prevY, cy, cb.x(), c.viaVfLink()));
      prevY = cy;
    }
    return box;
  }

  /** One shade per run of consecutive rows in the same region; alternating tints. */
  private List<Layout.Shade> shades(int maxRight) {
    List<List<Row>> runs = new ArrayList<>();
    List<Row> cur = new ArrayList<>();
    for (Row r : rows) {
      boolean same =
          !cur.isEmpty()
              && r.region() != null
              && cur.get(0).region() != null
              && cur.get(0).region().key().equals(r.region().key());
      if (!same) {
        if (!cur.isEmpty() && cur.get(0).region() != null) {
          runs.add(cur);
        }
        cur = new ArrayList<>();
      }
      cur.add(r);
    }
    if (!cur.isEmpty() && cur.get(0).region() != null) {
      runs.add(cur);
    }
    int labelX = maxRight + 16;
    int labelW = 0;
    for (List<Row> run : runs) {
      labelW = Math.max(labelW, textWidth(run.get(0).region().label()));
    }
    int right = labelX + labelW + 8;
    Map<String, Integer> tint = new LinkedHashMap<>();
    List<Layout.Shade> out = new ArrayList<>();
    for (List<Row> run : runs) {
      int left = Integer.MAX_VALUE;
      for (Row r : run) {
        left = Math.min(left, r.box().x());
      }
      Layout.Box first = run.get(0).box();
      Layout.Box last = run.get(run.size() - 1).box();
      int top = first.y() - SHADE_PAD;
      int bottom = last.y() + last.h() + SHADE_PAD;
      String key = run.get(0).region().key();
      int shade = tint.computeIfAbsent(key, k -> tint.size() % 2);
      out.add(
          new Layout.Shade(
              left - 6,
              top,
              right - (left - 6),
              bottom - top,
              shade,
              run.get(0).region().label(),
              labelX,
              top + SHADE_PAD + FONT + 2));
    }
    return out;
  }
}
