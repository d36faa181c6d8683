package dev.pcikit.agent;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * One request as a route sees it: its path parameters and query values (bounded), its body (read at
 * most {@link Limits#BODY_BYTES}), and who sent it. The Jetty request, response and callback are
 * there for routes that stream ({@link Reply#TAKEN}).
 */
public final class Call {
  private final Request request;
  private final Response response;
  private final Callback callback;
  private final Map<String, String> params;
  private final Caller caller;
  private Fields query;

  Call(
      Request request,
      Response response,
      Callback callback,
      Map<String, String> params,
      Caller caller) {
    this.request = request;
    this.response = response;
    this.callback = callback;
    this.params = params;
    this.caller = caller;
  }

  public Request request() {
    return request;
  }

  public Response response() {
    return response;
  }

  public Callback callback() {
    return callback;
  }

  public Caller caller() {
    return caller;
  }

  /** A path parameter, already percent-decoded and bounded by {@link Limits#PARAM_CHARS}. */
  public String param(String name) {
    String v = params.get(name);
    if (v == null) {
      throw new IllegalStateException("route has no parameter " + name);
    }
    return v;
  }

  private Fields query() {
    if (query == null) {
      try {
        query = Request.extractQueryParameters(request);
      } catch (RuntimeException e) {
        throw new PcikitException(Failure.INVALID_ARGUMENT, "malformed query string");
      }
    }
    return query;
  }

  /** Every value of a query parameter (at most {@link Limits#PARAM_VALUES}, each bounded). */
  public List<String> queryAll(String name) {
    List<String> values = query().getValues(name);
    if (values == null) {
      return List.of();
    }
    if (values.size() > Limits.PARAM_VALUES) {
      throw new PcikitException(
          Failure.INVALID_ARGUMENT,
          "too many '" + name + "' parameters (at most " + Limits.PARAM_VALUES + ")");
    }
    for (String v : values) {
      Paths.bounded(name, v);
    }
    return values;
  }

  /** A query parameter given at most once. */
  public Optional<String> query(String name) {
    List<String> all = queryAll(name);
    if (all.size() > 1) {
      throw new PcikitException(
          Failure.INVALID_ARGUMENT, "query parameter '" + name + "' given more than once");
    }
    return all.stream().findFirst();
  }

  /**
   * The request body, at most {@link Limits#BODY_BYTES}: a larger declared or actual length is a
   * {@link TooLarge} (413).
   */
  public byte[] body() throws IOException {
    long declared = request.getLength();
    if (declared > Limits.BODY_BYTES) {
      throw new TooLarge(declared);
    }
    try (InputStream in = Content.Source.asInputStream(request)) {
      byte[] b = in.readNBytes(Limits.BODY_BYTES + 1);
      if (b.length > Limits.BODY_BYTES) {
        // A body of no declared length (chunked): read the rest here, bounded, since closing this
        // stream before its end fails the request's content and the close would reset the
        // connection (BodyDrain says why that loses the 413).
        BodyDrain.skipRest(in);
        throw new TooLarge(-1);
      }
      return b;
    }
  }

  /** The body as a JSON object; malformed JSON or another type is BAD_INPUT (400). */
  public JsonNode jsonBody() throws IOException {
    byte[] b = body();
    if (b.length == 0) {
      return Json.object();
    }
    JsonNode n;
    try {
      n = Json.read(b);
    } catch (JacksonException e) {
      throw new PcikitException(
          Failure.BAD_INPUT, "request body is not valid JSON: " + e.getOriginalMessage());
    }
    if (n == null || !n.isObject()) {
      throw new PcikitException(Failure.BAD_INPUT, "request body must be a JSON object");
    }
    return n;
  }

  /** The Content-Type of the request without parameters, lower case, or "". */
  public String contentType() {
    String ct = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
    if (ct == null) {
      return "";
    }
    int semi = ct.indexOf(';');
    return (semi < 0 ? ct : ct.substring(0, semi)).strip().toLowerCase(java.util.Locale.ROOT);
  }

  /** A request body over {@link Limits#BODY_BYTES}. */
  public static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    TooLarge(long declared) {
      super(
          "request body "
              + (declared >= 0 ? "of " + declared + " bytes " : "")
              + "is larger than "
              + Limits.BODY_BYTES
              + " bytes");
    }
  }
}
