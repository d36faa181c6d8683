package dev.pcikit.agent;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.vfio.Refusal;
import dev.pcikit.core.vfio.RefusedException;
import java.util.Locale;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Errors as RFC 9457 problem details ({@code application/problem+json}): {@code type}, {@code
 * title}, {@code status}, {@code detail} and the core's typed {@code failure} (a {@link Failure}
 * name, or an HTTP-level name such as {@code TOO_LARGE}), plus {@code remedy} and, for a refusal,
 * the {@code refusals}. Never a stack trace. The status table is in docs/agent.md.
 */
public final class Problems {
  private Problems() {}

  /** The HTTP status of a core failure. */
  public static int status(Failure f) {
    return switch (f) {
      case INVALID_ARGUMENT, BAD_INPUT -> 400;
      case NOT_FOUND -> 404;
      // the host's state refuses the operation: the same request may succeed once it changes
      case REFUSED -> 409;
      // another pcikit holds the host lock past the wait: retry later (Retry-After)
      case LOCKED -> 503;
      // the kernel (the agent's upstream) refused a write: RFC 9110 15.6.3
      case KERNEL_REFUSED -> 502;
      case INTERNAL -> 500;
    };
  }

  /** The problem document of a typed failure. */
  public static Reply of(PcikitException e) {
    int status = status(e.failure());
    ObjectNode p = problem(status, e.failure().name(), e.getMessage());
    p.put("remedy", e.remedy().name());
    if (e instanceof RefusedException r) {
      p.put("operation", r.operation().word());
      ArrayNode list = p.putArray("refusals");
      for (Refusal ref : r.refusals()) {
        ObjectNode o = list.addObject();
        o.put("address", ref.address().toString());
        o.put("rule", ref.rule().name());
        o.put("reason", ref.reason());
        o.put("forceable", ref.rule().forceable());
      }
    }
    Reply reply = new Reply(status, Reply.PROBLEM, Json.bytes(p));
    if (e.failure() == Failure.LOCKED) {
      reply.header("Retry-After", "1");
    }
    return reply;
  }

  /** A problem reply with an HTTP-level failure name (NOT_FOUND, TOO_LARGE, UNAUTHORIZED...). */
  public static Reply of(int status, String failure, String detail) {
    return new Reply(status, Reply.PROBLEM, Json.bytes(problem(status, failure, detail)));
  }

  static ObjectNode problem(int status, String failure, String detail) {
    ObjectNode p = Json.object();
    p.put("type", "urn:pcikit:problem:" + failure.toLowerCase(Locale.ROOT).replace('_', '-'));
    p.put("title", title(status));
    p.put("status", status);
    p.put("detail", detail == null ? title(status) : detail);
    p.put("failure", failure);
    return p;
  }

  static String title(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 408 -> "Request Timeout";
      case 409 -> "Conflict";
      case 413 -> "Content Too Large";
      case 414 -> "URI Too Long";
      case 415 -> "Unsupported Media Type";
      case 431 -> "Request Header Fields Too Large";
      case 500 -> "Internal Server Error";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      default -> "HTTP " + status;
    };
  }

  /** A value quoted for a message, cut at 64 characters and with controls escaped. */
  static String quote(String v) {
    StringBuilder sb = new StringBuilder("'");
    for (int i = 0; i < v.length() && i < 64; i++) {
      char c = v.charAt(i);
      sb.append(
          c < 0x20 || c == 0x7f
              ? String.format(Locale.ROOT, "\\x%02x", (int) c)
              : String.valueOf(c));
    }
    return sb.append(v.length() > 64 ? "…'" : "'").toString();
  }
}
