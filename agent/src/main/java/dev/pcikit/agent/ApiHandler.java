package dev.pcikit.agent;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Routes a request: finds the route (404, or 405 with {@code Allow}), checks the caller's role
 * (401/403), runs the route and writes its reply. Every failure becomes a problem document: a
 * {@link PcikitException} by its {@link Failure}, an oversized body 413, anything else 500 with no
 * detail (the exception goes to the log, never to the client).
 */
final class ApiHandler extends Handler.Abstract {
  private static final Logger LOG = Logger.getLogger(ApiHandler.class.getName());

  private final List<Route> routes;
  private final Authenticator auth;
  private final Audit audit;

  ApiHandler(List<Route> routes, Authenticator auth, Audit audit) {
    this.routes = List.copyOf(routes);
    this.auth = auth;
    this.audit = audit;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    Reply reply;
    Callback done = callback;
    try {
      reply = dispatch(request, response, callback);
    } catch (PcikitException e) {
      reply = Problems.of(e);
    } catch (Call.TooLarge e) {
      reply = Problems.of(413, "TOO_LARGE", e.getMessage());
    } catch (ReadRoutes.UnsupportedType e) {
      reply = Problems.of(415, "UNSUPPORTED_MEDIA_TYPE", e.getMessage());
    } catch (Exception | StackOverflowError e) {
      LOG.log(Level.WARNING, request.getMethod() + " " + request.getHttpURI().getPath(), e);
      reply = Problems.of(500, Failure.INTERNAL.name(), "internal error (see the agent's log)");
    }
    if (reply != Reply.TAKEN) {
      if (reply.status() >= 400) {
        // a refusal (401, 403, 413, …) may come before the body was read: read the rest before
        // the connection closes, or the close resets it and the client loses the answer (BodyDrain)
        done = BodyDrain.after(request, callback);
      }
      send(reply, request, response, done);
    }
    return true;
  }

  static void send(Reply reply, Response response, Callback callback) {
    send(reply, null, response, callback);
  }

  /** Writes a reply; a kept gzip form is sent to a request that accepts gzip. */
  static void send(Reply reply, Request request, Response response, Callback callback) {
    byte[] body = reply.body();
    byte[] gz = reply.gzipped();
    boolean gzip = false;
    if (gz != null) {
      response.getHeaders().put(HttpHeader.VARY, "Accept-Encoding");
      String accept = request == null ? null : request.getHeaders().get(HttpHeader.ACCEPT_ENCODING);
      if (accept != null && accept.toLowerCase(java.util.Locale.ROOT).contains("gzip")) {
        response.getHeaders().put(HttpHeader.CONTENT_ENCODING, "gzip");
        body = gz;
        gzip = true;
      }
    }
    ByteBuffer direct = reply.directBody(gzip);
    response.setStatus(reply.status());
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType(reply.contentType()));
    response.getHeaders().put("X-Content-Type-Options", "nosniff");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    reply.headers().forEach((k, v) -> response.getHeaders().put(k, v));
    response.write(true, direct != null ? direct : ByteBuffer.wrap(body), callback);
  }

  private static String contentType(String t) {
    return t.startsWith("text/") || t.endsWith("json") || t.endsWith("+xml")
        ? t + "; charset=utf-8"
        : t;
  }

  private Reply dispatch(Request request, Response response, Callback callback) throws Exception {
    List<String> segments = new ArrayList<>();
    for (String raw : Route.split(request.getHttpURI().getPath())) {
      segments.add(Paths.decodeSegment(raw));
    }
    String method = request.getMethod();
    TreeSet<String> allowed = new TreeSet<>();
    for (Route r : routes) {
      Optional<Map<String, String>> params = r.match(segments);
      if (params.isEmpty()) {
        continue;
      }
      if (!r.method().equals(method)) {
        allowed.add(r.method());
        continue;
      }
      Optional<Caller> caller = auth.caller(request);
      if (r.access() == Access.PUBLIC) {
        Caller anyone = caller.orElse(new Caller("anonymous", Caller.Role.NONE));
        return r.endpoint().handle(new Call(request, response, callback, params.get(), anyone));
      }
      if (caller.isEmpty() || caller.get().role() == Caller.Role.NONE) {
        return Problems.of(401, "UNAUTHORIZED", "a valid bearer token is required")
            .header("WWW-Authenticate", "Bearer realm=\"pcikit\"");
      }
      Caller.Role needed = r.access() == Access.ADMIN ? Caller.Role.ADMIN : Caller.Role.READ;
      if (!caller.get().role().allows(needed)) {
        // a write attempted without the right: audited like every write
        audit.record(caller.get(), r.template(), null, false, 403, "FORBIDDEN", null);
        return Problems.of(403, "FORBIDDEN", "this needs the admin role");
      }
      return r.endpoint().handle(new Call(request, response, callback, params.get(), caller.get()));
    }
    if (!allowed.isEmpty()) {
      return Problems.of(405, "METHOD_NOT_ALLOWED", method + " is not allowed here")
          .header("Allow", String.join(", ", allowed));
    }
    return Problems.of(404, Failure.NOT_FOUND.name(), "no such resource");
  }
}
