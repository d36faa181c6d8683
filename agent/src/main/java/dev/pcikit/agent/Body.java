package dev.pcikit.agent;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A write request's JSON body, checked field by field: an unknown field, a wrong type or a value
 * out of bounds is INVALID_ARGUMENT (400) naming it, before anything runs.
 */
final class Body {
  static final int MAX_DEVICES = 1024;

  private final ObjectNode node;

  private Body(ObjectNode node) {
    this.node = node;
  }

  /** The body of {@code call}; fields other than {@code allowed} are refused. */
  static Body of(Call call, String... allowed) throws IOException {
    ObjectNode n = (ObjectNode) call.jsonBody();
    Set<String> ok = Set.of(allowed);
    Set<String> unknown = new TreeSet<>();
    for (String name : n.propertyNames()) {
      if (!ok.contains(name)) {
        unknown.add(name);
      }
    }
    if (!unknown.isEmpty()) {
      throw bad(
          "unknown field(s) "
              + String.join(", ", unknown.stream().map(Problems::quote).toList())
              + " (known: "
              + String.join(", ", new TreeSet<>(ok))
              + ")");
    }
    return new Body(n);
  }

  ObjectNode node() {
    return node;
  }

  boolean bool(String name) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return false;
    }
    if (!v.isBoolean()) {
      throw bad("'" + name + "' must be true or false");
    }
    return v.booleanValue();
  }

  String string(String name) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isString()) {
      throw bad("'" + name + "' must be a string");
    }
    return Paths.bounded("'" + name + "'", v.stringValue());
  }

  int integer(String name, int min, int max) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      throw bad("'" + name + "' is required");
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < min || v.intValue() > max) {
      throw bad("'" + name + "' must be an integer from " + min + " to " + max);
    }
    return v.intValue();
  }

  List<String> strings(String name) {
    JsonNode v = node.get(name);
    if (v == null || !v.isArray() || v.isEmpty()) {
      throw bad("'" + name + "' must be a non-empty array of strings");
    }
    if (v.size() > MAX_DEVICES) {
      throw bad("'" + name + "' has more than " + MAX_DEVICES + " entries");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode e : v) {
      if (!e.isString()) {
        throw bad("'" + name + "' must be a non-empty array of strings");
      }
      out.add(Paths.bounded("'" + name + "' entry", e.stringValue()));
    }
    return out;
  }

  private static PcikitException bad(String m) {
    return new PcikitException(Failure.INVALID_ARGUMENT, m);
  }
}
