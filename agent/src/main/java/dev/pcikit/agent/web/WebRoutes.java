package dev.pcikit.agent.web;

import dev.pcikit.agent.Access;
import dev.pcikit.agent.AgentContext;
import dev.pcikit.agent.Call;
import dev.pcikit.agent.Reply;
import dev.pcikit.agent.Route;
import dev.pcikit.agent.RouteGroup;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;

/**
 * The agent's web page: the files of {@link WebFiles}, each at its own fixed path ({@code /} is
 * index.html). Only those paths exist: there is no directory listing and no file-system lookup, so
 * no path can reach another resource ({@code /../x}, {@code /%2e%2e/x} and the like match no route:
 * 404).
 *
 * <p>The files carry no host data (the page fetches it from {@code /v1} with the caller's token),
 * so they are {@link Access#PUBLIC}: a browser on the TCP listener must load the page before it can
 * send a token. Every answer carries the page's Content-Security-Policy: {@code default-src 'self'}
 * (no inline script or style, no other origin), {@code img-src 'self' blob:} (the host picture is
 * fetched with the token and shown from an object URL; an SVG in an {@code <img>} runs no script),
 * and no framing, base or form targets.
 *
 * <p>Caching: {@code Cache-Control: no-cache} with a strong {@code ETag} (the SHA-256 of the
 * content), so a browser revalidates each time (304 while unchanged) and never runs a page older
 * than the agent after an upgrade (the file names carry no version).
 */
public final class WebRoutes implements RouteGroup {
  static final String CSP =
      "default-src 'self'; img-src 'self' blob:; base-uri 'none'; form-action 'none';"
          + " frame-ancestors 'none'";

  private final WebFiles files;

  public WebRoutes() {
    this(WebFiles.load());
  }

  WebRoutes(WebFiles files) {
    this.files = files;
  }

  @Override
  public List<Route> routes(AgentContext context) {
    List<Route> routes = new ArrayList<>();
    for (WebFiles.File f : files.all()) {
      routes.add(new Route("GET", f.path(), Access.PUBLIC, call -> serve(f, call)));
      // HEAD: the same headers (RFC 9110 section 9.3.2); Jetty sends no body for a HEAD request
      routes.add(new Route("HEAD", f.path(), Access.PUBLIC, call -> serve(f, call)));
    }
    return routes;
  }

  static Reply serve(WebFiles.File f, Call call) {
    String ifNoneMatch = call.request().getHeaders().get(HttpHeader.IF_NONE_MATCH);
    Reply reply =
        matches(ifNoneMatch, f.etag())
            ? new Reply(304, f.contentType(), new byte[0])
            : new Reply(200, f.contentType(), f.body());
    return reply
        .header("ETag", f.etag())
        .header("Cache-Control", "no-cache")
        .header("Content-Security-Policy", CSP)
        .header("Referrer-Policy", "no-referrer")
        .header("X-Frame-Options", "DENY");
  }

  /**
   * Whether an If-None-Match header names this entity tag (RFC 9110 section 13.1.2: a list of tags
   * or {@code *}, compared weakly, so {@code W/"x"} matches {@code "x"}).
   */
  static boolean matches(String header, String etag) {
    if (header == null) {
      return false;
    }
    // the header is bounded by the server's request header limit
    for (String tag : header.split(",")) {
      String t = tag.strip();
      if (t.equals("*")) {
        return true;
      }
      if (t.startsWith("W/")) {
        t = t.substring(2);
      }
      if (t.equals(etag)) {
        return true;
      }
    }
    return false;
  }
}
