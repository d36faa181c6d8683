package dev.pcikit.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** {@code GET /v1/openapi.json}: the checked-in OpenAPI 3.1 document of this API. */
final class OpenApiRoutes implements RouteGroup {
  static final String RESOURCE = "/dev/pcikit/agent/openapi.json";

  static byte[] document() {
    try (InputStream in = OpenApiRoutes.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + RESOURCE);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public List<Route> routes(AgentContext ctx) {
    byte[] doc = document();
    return List.of(
        new Route("GET", "/v1/openapi.json", Access.READ, call -> new Reply(200, Reply.JSON, doc)));
  }
}
