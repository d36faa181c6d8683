package dev.pcikit.formats;

import java.io.PrintWriter;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** Creates and writes documents; every document carries a {@code "schema"} field first. */
public final class Documents {
  /** Built on first use only: documents are made and written as JSON without it. */
  private static final class Json {
    static final ObjectMapper MAPPER =
        JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
  }

  /** Built on first YAML use only: JSON output then loads none of the YAML classes. */
  private static final class Yaml {
    static final ObjectMapper MAPPER = YAMLMapper.builder().build();
  }

  private Documents() {}

  /**
   * The JSON mapper the documents are built and written with (indented output); it is thread-safe
   * and may be used to read documents back.
   *
   * @return the shared mapper
   */
  public static ObjectMapper json() {
    return Json.MAPPER;
  }

  /**
   * A new, empty document.
   *
   * @param schema the versioned schema name, {@code pcikit/NAME/vN}
   * @return an object whose first field is {@code "schema"}
   */
  public static ObjectNode document(String schema) {
    // the mapper's own node factory is this one (MapperBuilder's default)
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("schema", schema);
    return n;
  }

  /**
   * The document as text.
   *
   * @param doc the document
   * @param format JSON (indented, no trailing newline) or YAML (ending in a newline)
   * @return the text
   */
  public static String text(ObjectNode doc, DocumentFormat format) {
    return format == DocumentFormat.YAML
        ? Yaml.MAPPER.writeValueAsString(doc)
        : JsonTreeWriter.handles(doc)
            ? JsonTreeWriter.text(doc)
            : Json.MAPPER.writeValueAsString(doc);
  }

  /**
   * Writes the document and flushes: JSON is followed by a newline, YAML ends with one.
   *
   * @param doc the document
   * @param format JSON or YAML
   * @param out where to write
   */
  public static void write(ObjectNode doc, DocumentFormat format, PrintWriter out) {
    out.print(printed(doc, format));
    out.flush();
  }

  /**
   * The document as {@link #write} prints it.
   *
   * @param doc the document
   * @param format JSON (followed by a newline) or YAML (ending with one)
   * @return the text
   */
  public static String printed(ObjectNode doc, DocumentFormat format) {
    String text = text(doc, format);
    return format == DocumentFormat.YAML ? text : text + "\n";
  }
}
