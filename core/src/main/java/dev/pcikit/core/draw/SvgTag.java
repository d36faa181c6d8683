package dev.pcikit.core.draw;

/**
 * One SVG element appended to a document: {@code <name a="v" ...}, then closed empty, around a
 * text, or left open for children. Attribute values are written as given (numbers, colours and path
 * data of the layout); text is escaped.
 */
record SvgTag(StringBuilder s, String name) {
  /** Starts the element: {@code <name}. */
  static SvgTag of(StringBuilder s, String name) {
    s.append('<').append(name);
    return new SvgTag(s, name);
  }

  SvgTag attr(String attribute, Object value) {
    s.append(' ').append(attribute).append("=\"").append(value).append('"');
    return this;
  }

  /** {@code stroke-dasharray}, when the dash pattern is not empty. */
  SvgTag dash(String pattern) {
    return pattern.isEmpty() ? this : attr("stroke-dasharray", pattern);
  }

  /** Closes the element empty: {@code .../>}. */
  StringBuilder empty() {
    return s.append("/>");
  }

  /** The escaped text as the element's content, and its end tag. */
  StringBuilder text(String text) {
    return s.append('>').append(Xml.escape(text)).append("</").append(name).append('>');
  }

  /** Ends the start tag: children follow. */
  StringBuilder open() {
    return s.append('>');
  }
}
