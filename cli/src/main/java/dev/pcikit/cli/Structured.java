package dev.pcikit.cli;

import java.io.PrintWriter;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** Writes JSON or YAML documents; every document carries a "schema" field first. */
public final class Structured {
  private Structured() {}

  private static ObjectMapper json;

  public static ObjectMapper json() {
    if (json == null) {
      json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    }
    return json;
  }

  public static ObjectNode document(String schema) {
    ObjectNode n = json().createObjectNode();
    n.put("schema", schema);
    return n;
  }

  public static void write(ObjectNode doc, OutputFormat format, PrintWriter out) {
    if (format == OutputFormat.yaml) {
      out.print(YAMLMapper.builder().build().writeValueAsString(doc));
    } else {
      out.println(json().writeValueAsString(doc));
    }
    out.flush();
  }
}
