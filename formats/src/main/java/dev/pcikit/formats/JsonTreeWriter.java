package dev.pcikit.formats;

import java.io.StringWriter;
import java.util.Map;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.PrettyPrinter;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.BigIntegerNode;
import tools.jackson.databind.node.BooleanNode;
import tools.jackson.databind.node.DecimalNode;
import tools.jackson.databind.node.DoubleNode;
import tools.jackson.databind.node.FloatNode;
import tools.jackson.databind.node.IntNode;
import tools.jackson.databind.node.LongNode;
import tools.jackson.databind.node.NullNode;
import tools.jackson.databind.node.ShortNode;
import tools.jackson.databind.node.StringNode;

/**
 * Writes a tree of plain JSON nodes the way an indenting {@link
 * tools.jackson.databind.ObjectMapper} does (the same jackson-core generator and default pretty
 * printer, the same calls the nodes' own {@code serialize} makes), without building a mapper: in a
 * cold JVM the mapper's configuration and serializer lookup cost more than a 100-device listing's
 * own work (docs/benchmarks-inventory.md, cold start). A tree holding anything else (a POJO,
 * binary) is left to the mapper.
 */
final class JsonTreeWriter {
  private static final JsonFactory FACTORY = new JsonFactory();

  private JsonTreeWriter() {}

  /** True when every node is one {@link #write} handles. */
  static boolean handles(JsonNode n) {
    if (n.isObject() || n.isArray()) {
      for (JsonNode c : n.values()) {
        if (!handles(c)) {
          return false;
        }
      }
      return true;
    }
    return n instanceof StringNode
        || n instanceof IntNode
        || n instanceof LongNode
        || n instanceof BooleanNode
        || n instanceof NullNode
        || n instanceof DoubleNode
        || n instanceof ShortNode
        || n instanceof FloatNode
        || n instanceof BigIntegerNode
        || n instanceof DecimalNode;
  }

  /** The tree as indented JSON, as {@code mapper.writeValueAsString(n)} with INDENT_OUTPUT. */
  static String text(JsonNode n) {
    StringWriter w = new StringWriter();
    ObjectWriteContext ctx =
        new ObjectWriteContext.Base() {
          @Override
          public PrettyPrinter getPrettyPrinter() {
            return new DefaultPrettyPrinter();
          }

          @Override
          public boolean hasPrettyPrinter() {
            return true;
          }
        };
    try (JsonGenerator g = FACTORY.createGenerator(ctx, w)) {
      write(n, g);
    }
    return w.toString();
  }

  private static void write(JsonNode n, JsonGenerator g) {
    if (n.isObject()) {
      g.writeStartObject(n, n.size());
      for (Map.Entry<String, JsonNode> e : n.properties()) {
        g.writeName(e.getKey());
        write(e.getValue(), g);
      }
      g.writeEndObject();
    } else if (n.isArray()) {
      g.writeStartArray(n, n.size());
      for (JsonNode c : n.values()) {
        write(c, g);
      }
      g.writeEndArray();
    } else if (n instanceof StringNode) {
      g.writeString(n.stringValue());
    } else if (n instanceof IntNode || n instanceof ShortNode) {
      g.writeNumber(n.intValue());
    } else if (n instanceof LongNode) {
      g.writeNumber(n.longValue());
    } else if (n instanceof BooleanNode) {
      g.writeBoolean(n.booleanValue());
    } else if (n instanceof NullNode) {
      g.writeNull();
    } else if (n instanceof DoubleNode) {
      g.writeNumber(n.doubleValue());
    } else if (n instanceof FloatNode) {
      g.writeNumber(n.floatValue());
    } else if (n instanceof BigIntegerNode) {
      g.writeNumber(n.bigIntegerValue());
    } else {
      g.writeNumber(n.decimalValue());
    }
  }
}
