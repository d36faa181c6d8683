package dev.pcikit.core.draw;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads back what an SVG document draws, with JDK StAX (DTDs and external entities off): the boxes,
 * shaded regions and texts, so tests check the written document rather than the layout.
 */
final class SvgGeometry {
  record Rect(String cls, double x, double y, double w, double h) {
    boolean overlaps(Rect o) {
      return x < o.x + o.w && o.x < x + w && y < o.y + o.h && o.y < y + h;
    }
  }

  /** A text with its font size and the node box it sits in (null when outside any node). */
  record Text(double x, double y, double fontSize, String content, Rect box) {}

  double width;
  double height;
  final List<Rect> nodes = new ArrayList<>();
  final List<Rect> groups = new ArrayList<>();
  final List<Rect> legend = new ArrayList<>();
  final List<Text> texts = new ArrayList<>();

  static XMLInputFactory factory() {
    XMLInputFactory f = XMLInputFactory.newFactory();
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    return f;
  }

  /** Parses {@code svg}; throws when it is not well-formed XML. */
  static SvgGeometry parse(String svg) throws XMLStreamException {
    SvgGeometry g = new SvgGeometry();
    XMLStreamReader r = factory().createXMLStreamReader(new StringReader(svg));
    double rootFont = 16; // the CSS default when nothing is set
    Rect currentNode = null;
    int depth = 0;
    int nodeDepth = -1;
    while (r.hasNext()) {
      int ev = r.next();
      if (ev == XMLStreamConstants.START_ELEMENT) {
        depth++;
        String name = r.getLocalName();
        if (name.equals("svg")) {
          g.width = num(r, "width");
          g.height = num(r, "height");
          String fs = r.getAttributeValue(null, "font-size");
          if (fs != null) {
            rootFont = Double.parseDouble(fs);
          }
        } else if (name.equals("g") && r.getAttributeValue(null, "id") != null) {
          nodeDepth = depth;
        } else if (name.equals("rect")) {
          String cls = r.getAttributeValue(null, "class");
          if (cls != null) {
            Rect rect = new Rect(cls, num(r, "x"), num(r, "y"), num(r, "width"), num(r, "height"));
            switch (cls) {
              case "node" -> {
                g.nodes.add(rect);
                currentNode = rect;
              }
              case "group" -> g.groups.add(rect);
              case "legend" -> g.legend.add(rect);
              default -> {}
            }
          }
        } else if (name.equals("text")) {
          String fs = r.getAttributeValue(null, "font-size");
          double size = fs == null ? rootFont : Double.parseDouble(fs);
          double x = num(r, "x");
          double y = num(r, "y");
          String content = r.getElementText();
          depth--; // getElementText consumed the end tag
          g.texts.add(new Text(x, y, size, content, nodeDepth >= 0 ? currentNode : null));
        }
      } else if (ev == XMLStreamConstants.END_ELEMENT) {
        if (depth == nodeDepth) {
          nodeDepth = -1;
          currentNode = null;
        }
        depth--;
      }
    }
    return g;
  }

  private static double num(XMLStreamReader r, String attr) {
    String v = r.getAttributeValue(null, attr);
    if (v == null || v.endsWith("%")) {
      return 0;
    }
    return Double.parseDouble(v);
  }

  /** Pairs of overlapping rectangles, found by a sweep over y. */
  static List<String> overlaps(List<Rect> rects) {
    List<Rect> sorted = new ArrayList<>(rects);
    sorted.sort((a, b) -> Double.compare(a.y, b.y));
    List<String> out = new ArrayList<>();
    for (int i = 0; i < sorted.size(); i++) {
      Rect a = sorted.get(i);
      for (int j = i + 1; j < sorted.size() && sorted.get(j).y < a.y + a.h; j++) {
        if (a.overlaps(sorted.get(j))) {
          out.add(a + " overlaps " + sorted.get(j));
        }
      }
    }
    return out;
  }
}
