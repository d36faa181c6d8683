package dev.pcikit.agent;

import dev.pcikit.http.unix.UnixHttp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** The tests' client: every answer is checked against the OpenAPI document. */
final class Api {
  private final UnixHttp http;
  private final Map<String, String> headers = new LinkedHashMap<>();

  Api(Path socket) {
    this.http = new UnixHttp(socket);
  }

  Api withHeader(String name, String value) {
    Api a = new Api(null, http);
    a.headers.putAll(headers);
    a.headers.put(name, value);
    return a;
  }

  private Api(Void unused, UnixHttp http) {
    this.http = http;
  }

  UnixHttp.Answer get(String path) throws IOException {
    return send("GET", path, null, null);
  }

  UnixHttp.Answer post(String path, String json) throws IOException {
    return send("POST", path, "application/json", json);
  }

  UnixHttp.Answer send(String method, String path, String contentType, String body)
      throws IOException {
    Map<String, String> h = new LinkedHashMap<>(headers);
    if (contentType != null) {
      h.put("Content-Type", contentType);
    }
    UnixHttp.Answer a =
        http.send(method, path, h, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    OpenApiCheck.check(method, path, a);
    return a;
  }

  /**
   * The final answer of a write: a 202 is polled until the operation ends, then its result (or
   * problem) is given as the answer a synchronous call would have had.
   */
  UnixHttp.Answer finish(UnixHttp.Answer a) throws IOException {
    if (a.status() != 202) {
      return a;
    }
    String location = a.headers().get("location");
    for (int i = 0; i < 2400; i++) {
      JsonNode op = json(get(location));
      String state = op.get("state").asString();
      if (!state.equals("queued") && !state.equals("running")) {
        int status = op.get("status").asInt();
        JsonNode body = op.get(status < 400 ? "result" : "problem");
        return new UnixHttp.Answer(
            status,
            Map.of("content-type", status < 400 ? Reply.JSON : Reply.PROBLEM),
            Json.bytes(body));
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        throw new IOException(e);
      }
    }
    throw new IOException("operation " + location + " did not end in 120 s");
  }

  static JsonNode json(UnixHttp.Answer a) {
    return Json.read(a.body());
  }
}
