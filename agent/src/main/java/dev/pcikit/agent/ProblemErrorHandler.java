package dev.pcikit.agent;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty answers itself, before a route runs (a malformed request line, headers over {@link
 * Limits#HEADER_BYTES}: 431, an ambiguous or invalid URI: 400), as problem documents too.
 */
final class ProblemErrorHandler extends ErrorHandler {
  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int status = response.getStatus();
    if (status < 400) {
      status = 500;
    }
    Object message = request.getAttribute(ERROR_MESSAGE);
    String failure =
        switch (status) {
          case 400 -> "BAD_REQUEST";
          case 404 -> "NOT_FOUND";
          case 408 -> "TIMEOUT";
          case 413, 414, 431 -> "TOO_LARGE";
          default -> status >= 500 ? "INTERNAL" : "HTTP_" + status;
        };
    String detail = message == null ? Problems.title(status) : Problems.quote(message.toString());
    ApiHandler.send(Problems.of(status, failure, detail), response, callback);
    return true;
  }
}
