package dev.pcikit.cli.export;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Validates a document against an OpenAPI v3 / Kubernetes structural schema, for the keywords the
 * schedulers' schemas use. Written here because no JSON Schema library is among the project's
 * allowed test dependencies (the one on Maven Central for Jackson 3, networknt
 * json-schema-validator 3.x, needs Jackson 3.1 and brings slf4j, joni and more), and OpenAPI's own
 * keywords (nullable, x-kubernetes-*) are not JSON Schema anyway.
 *
 * <p>Like the API server with strict field validation (kubectl's default since 1.27), a property
 * the schema does not name is an error unless additionalProperties or
 * x-kubernetes-preserve-unknown-fields allows it. A schema keyword this validator does not know is
 * an error too, so that a schema it cannot fully check never passes by default.
 */
public final class SchemaValidator {
  private final JsonNode root;

  private static final Set<String> IGNORED =
      Set.of(
          "description",
          "default",
          "example",
          "title",
          "x-kubernetes-list-type",
          "x-kubernetes-list-map-keys",
          "x-kubernetes-map-type",
          "x-kubernetes-patch-strategy",
          "x-kubernetes-patch-merge-key",
          "x-kubernetes-group-version-kind",
          "x-kubernetes-validations");
  private static final Set<String> KNOWN =
      Set.of(
          "$ref",
          "allOf",
          "oneOf",
          "anyOf",
          "type",
          "properties",
          "required",
          "additionalProperties",
          "items",
          "enum",
          "pattern",
          "minLength",
          "maxLength",
          "minItems",
          "maxItems",
          "format",
          "nullable",
          "x-kubernetes-int-or-string",
          "x-kubernetes-preserve-unknown-fields");

  public SchemaValidator(JsonNode root) {
    this.root = root;
  }

  /** The schema at a JSON pointer of the root document ("#/components/schemas/X"). */
  public JsonNode at(String ref) {
    JsonNode n = root;
    for (String part : ref.replaceFirst("^#/", "").split("/")) {
      n = n.get(part.replace("~1", "/").replace("~0", "~"));
      if (n == null) {
        throw new IllegalArgumentException("no schema at " + ref);
      }
    }
    return n;
  }

  /** Every violation, each "path: what"; empty when the document is valid. */
  public List<String> validate(JsonNode doc, JsonNode schema) {
    List<String> errors = new ArrayList<>();
    check(doc, schema, "$", errors);
    return errors;
  }

  private void check(JsonNode v, JsonNode s, String path, List<String> errors) {
    for (Iterator<String> it = s.propertyNames().iterator(); it.hasNext(); ) {
      String k = it.next();
      if (!KNOWN.contains(k) && !IGNORED.contains(k)) {
        errors.add(path + ": schema keyword '" + k + "' is not supported by this validator");
      }
    }
    if (v.isNull() && s.path("nullable").asBoolean(false)) {
      return;
    }
    if (s.has("$ref")) {
      check(v, at(s.get("$ref").asString()), path, errors);
    }
    if (s.has("allOf")) {
      for (JsonNode sub : s.get("allOf")) {
        check(v, sub, path, errors);
      }
    }
    if (s.has("oneOf")) {
      int ok = 0;
      for (JsonNode sub : s.get("oneOf")) {
        if (validate(v, sub).isEmpty()) {
          ok++;
        }
      }
      if (ok != 1) {
        errors.add(path + ": matches " + ok + " of the oneOf schemas, not exactly one");
      }
    }
    if (s.has("anyOf")) {
      boolean any = false;
      for (JsonNode sub : s.get("anyOf")) {
        any |= validate(v, sub).isEmpty();
      }
      if (!any) {
        errors.add(path + ": matches none of the anyOf schemas");
      }
    }
    if (s.path("x-kubernetes-int-or-string").asBoolean(false)) {
      if (!v.isIntegralNumber() && !v.isString()) {
        errors.add(path + ": not an integer or a string");
      }
    } else if (s.has("type") && !typeMatches(v, s.get("type").asString())) {
      errors.add(path + ": " + kind(v) + " where the schema wants " + s.get("type").asString());
      return;
    }
    if (s.has("enum")) {
      boolean found = false;
      for (JsonNode e : s.get("enum")) {
        found |= e.equals(v);
      }
      if (!found) {
        errors.add(path + ": " + v + " is not one of " + s.get("enum"));
      }
    }
    if (v.isString()) {
      String str = v.asString();
      if (s.has("pattern") && !Pattern.compile(s.get("pattern").asString()).matcher(str).find()) {
        errors.add(path + ": '" + str + "' does not match " + s.get("pattern").asString());
      }
      if (s.has("maxLength") && str.length() > s.get("maxLength").asInt()) {
        errors.add(path + ": longer than " + s.get("maxLength").asInt());
      }
      if (s.has("minLength") && str.length() < s.get("minLength").asInt()) {
        errors.add(path + ": shorter than " + s.get("minLength").asInt());
      }
    }
    if (v.isNumber() && s.has("format")) {
      String f = s.get("format").asString();
      if (f.equals("int32") && !(v.canConvertToInt())) {
        errors.add(path + ": outside int32");
      }
      if (f.equals("int64") && !(v.canConvertToLong())) {
        errors.add(path + ": outside int64");
      }
    }
    if (v.isArray()) {
      if (s.has("maxItems") && v.size() > s.get("maxItems").asInt()) {
        errors.add(path + ": more than " + s.get("maxItems").asInt() + " items");
      }
      if (s.has("minItems") && v.size() < s.get("minItems").asInt()) {
        errors.add(path + ": fewer than " + s.get("minItems").asInt() + " items");
      }
      if (s.has("items")) {
        for (int i = 0; i < v.size(); i++) {
          check(v.get(i), s.get("items"), path + "[" + i + "]", errors);
        }
      }
    }
    if (v.isObject()) {
      object(v, s, path, errors);
    }
  }

  private void object(JsonNode v, JsonNode s, String path, List<String> errors) {
    if (s.has("required")) {
      for (JsonNode r : s.get("required")) {
        if (!v.has(r.asString())) {
          errors.add(path + ": required property '" + r.asString() + "' is missing");
        }
      }
    }
    JsonNode props = s.get("properties");
    JsonNode extra = s.get("additionalProperties");
    boolean preserve = s.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
    boolean constrainsKeys = props != null || extra != null;
    for (Map.Entry<String, JsonNode> e : v.properties()) {
      String p = path + "." + e.getKey();
      if (props != null && props.has(e.getKey())) {
        check(e.getValue(), props.get(e.getKey()), p, errors);
      } else if (extra != null && extra.isObject()) {
        check(e.getValue(), extra, p, errors);
      } else if (extra != null && extra.isBoolean() && extra.asBoolean()) {
        continue;
      } else if (constrainsKeys && !preserve && !hasComposition(s)) {
        errors.add(p + ": unknown field");
      }
    }
  }

  /** Properties may be named by an allOf/$ref branch instead: those branches check them. */
  private static boolean hasComposition(JsonNode s) {
    return s.has("allOf") || s.has("$ref") || s.has("oneOf") || s.has("anyOf");
  }

  private static boolean typeMatches(JsonNode v, String type) {
    return switch (type) {
      case "object" -> v.isObject();
      case "array" -> v.isArray();
      case "string" -> v.isString();
      case "integer" -> v.isIntegralNumber();
      case "number" -> v.isNumber();
      case "boolean" -> v.isBoolean();
      default -> false;
    };
  }

  private static String kind(JsonNode v) {
    if (v.isObject()) {
      return "an object";
    }
    if (v.isArray()) {
      return "an array";
    }
    if (v.isString()) {
      return "a string";
    }
    if (v.isNumber()) {
      return "a number";
    }
    if (v.isBoolean()) {
      return "a boolean";
    }
    return v.isNull() ? "null" : "a value";
  }
}
