package dev.pcikit.agent;

import java.nio.charset.StandardCharsets;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The agent's JSON: documents are written indented, as the CLI's {@code -o json} prints them, so
 * that an answer and the CLI's output compare equal as text. Request bodies are parsed with tight
 * nesting and string bounds (the body itself is bounded by {@link Limits}).
 */
public final class Json {
  private Json() {}

  /** The formats module's mapper: the agent's documents are byte for byte the CLI's. */
  private static final ObjectMapper WRITER = dev.pcikit.formats.Documents.json();

  private static final ObjectMapper READER =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(32)
                          .maxStringLength(Limits.BODY_BYTES)
                          .build())
                  .build())
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  /** The document as the CLI prints it (indented), with a final newline. */
  public static byte[] bytes(JsonNode doc) {
    return (WRITER.writeValueAsString(doc) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  public static ObjectNode object() {
    return WRITER.createObjectNode();
  }

  /** Reads a request body; malformed JSON is a {@link tools.jackson.core.JacksonException}. */
  public static JsonNode read(byte[] body) {
    return READER.readTree(body);
  }

  public static ObjectMapper mapper() {
    return WRITER;
  }
}
