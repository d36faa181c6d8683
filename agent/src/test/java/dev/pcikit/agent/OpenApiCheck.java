package dev.pcikit.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.pcikit.http.unix.UnixHttp;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Checks an answer against the checked-in OpenAPI document, for the subset of OpenAPI 3.1 / JSON
 * Schema it uses: the path and method exist, the status code is declared (or a {@code default}),
 * the content type is declared for it, and a JSON body satisfies the schema's {@code type}, {@code
 * required}, {@code properties}, {@code items}, {@code enum}, {@code const}, {@code oneOf} and
 * {@code $ref}. Every answer the agent tests receive goes through {@link #check}.
 */
final class OpenApiCheck {
  static final JsonNode API = Json.read(OpenApiRoutes.document());
  static final Set<String> CHECKED = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private OpenApiCheck() {}

  static void check(String method, String path, UnixHttp.Answer a) {
    String bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
    String template = template(bare);
    if (template == null) {
      // not an API path: only problems are answered there
      assertThat(a.status()).as(method + " " + path).isIn(400, 404, 405, 431);
      assertThat(a.contentType()).startsWith(Reply.PROBLEM);
      schema(API.at("/components/schemas/Problem"), Json.read(a.body()), "problem");
      return;
    }
    JsonNode op = API.at("/paths/" + template.replace("/", "~1") + "/" + method.toLowerCase());
    if (op.isMissingNode()) {
      assertThat(a.status()).as(method + " " + path + " (undeclared method)").isEqualTo(405);
      return;
    }
    JsonNode resp = op.path("responses").path(String.valueOf(a.status()));
    if (resp.isMissingNode()) {
      resp = op.path("responses").path("default");
    }
    if (resp.isMissingNode()) {
      fail(method + " " + template + " answered " + a.status() + ", not declared: " + a.text());
    }
    if (resp.has("$ref")) {
      resp = API.at(resp.get("$ref").asString().substring(1));
    }
    String ct = a.contentType();
    String media = ct.contains(";") ? ct.substring(0, ct.indexOf(';')).strip() : ct;
    JsonNode content = resp.path("content").path(media);
    if (content.isMissingNode()) {
      fail(method + " " + template + " " + a.status() + ": content type " + ct + " not declared");
    }
    if (media.endsWith("json")) {
      byte[] body = a.body();
      if ("gzip".equals(a.headers().get("content-encoding"))) {
        try {
          body =
              new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(body))
                  .readAllBytes();
        } catch (java.io.IOException e) {
          throw new AssertionError("bad gzip body", e);
        }
      }
      schema(content.path("schema"), Json.read(body), method + " " + template + " " + a.status());
    }
    CHECKED.add(method + " " + template + " " + a.status());
  }

  static String template(String path) {
    List<String> segs = Route.split(path);
    for (Iterator<Map.Entry<String, JsonNode>> it = API.get("paths").properties().iterator();
        it.hasNext(); ) {
      String t = it.next().getKey();
      List<String> ts = Route.split(t);
      if (ts.size() != segs.size()) {
        continue;
      }
      boolean match = true;
      for (int i = 0; i < ts.size() && match; i++) {
        match = ts.get(i).startsWith("{") || ts.get(i).equals(segs.get(i));
      }
      if (match) {
        return t;
      }
    }
    return null;
  }

  static void schema(JsonNode s, JsonNode v, String where) {
    if (s.has("$ref")) {
      schema(API.at(s.get("$ref").asString().substring(1)), v, where);
      return;
    }
    if (s.has("oneOf")) {
      List<String> errors = new ArrayList<>();
      int ok = 0;
      for (JsonNode alt : s.get("oneOf")) {
        try {
          schema(alt, v, where);
          ok++;
        } catch (AssertionError e) {
          errors.add(e.getMessage());
        }
      }
      assertThat(ok).as(where + ": oneOf " + errors).isEqualTo(1);
      return;
    }
    if (s.has("type")) {
      List<String> types = new ArrayList<>();
      if (s.get("type").isArray()) {
        s.get("type").forEach(t -> types.add(t.asString()));
      } else {
        types.add(s.get("type").asString());
      }
      assertThat(types).as(where + ": type of " + abbreviate(v)).contains(typeOf(v));
    }
    if (s.has("const")) {
      assertThat(v).as(where).isEqualTo(s.get("const"));
    }
    if (s.has("enum")) {
      List<JsonNode> values = new ArrayList<>();
      s.get("enum").forEach(values::add);
      assertThat(values).as(where + ": enum").contains(v);
    }
    if (v.isObject()) {
      for (JsonNode r : s.path("required")) {
        assertThat(v.has(r.asString()))
            .as(where + ": required '" + r.asString() + "' in " + abbreviate(v))
            .isTrue();
      }
      for (Map.Entry<String, JsonNode> p : s.path("properties").properties()) {
        if (v.has(p.getKey())) {
          schema(p.getValue(), v.get(p.getKey()), where + "." + p.getKey());
        }
      }
      if (s.path("additionalProperties").isBoolean()
          && !s.get("additionalProperties").asBoolean()) {
        for (String name : v.propertyNames()) {
          assertThat(s.path("properties").has(name)).as(where + ": unexpected " + name).isTrue();
        }
      }
    }
    if (v.isArray() && s.has("items")) {
      int i = 0;
      for (JsonNode e : v) {
        schema(s.get("items"), e, where + "[" + i++ + "]");
      }
    }
  }

  private static String typeOf(JsonNode v) {
    if (v.isNull()) {
      return "null";
    }
    if (v.isObject()) {
      return "object";
    }
    if (v.isArray()) {
      return "array";
    }
    if (v.isString()) {
      return "string";
    }
    if (v.isBoolean()) {
      return "boolean";
    }
    if (v.isIntegralNumber()) {
      return "integer";
    }
    return "number";
  }

  private static String abbreviate(JsonNode v) {
    String s = v.toString();
    return s.length() > 200 ? s.substring(0, 200) + "…" : s;
  }
}
