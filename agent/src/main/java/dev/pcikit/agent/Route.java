package dev.pcikit.agent;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One method and path template ({@code /v1/devices/{bdf}}: a {@code {name}} segment matches one
 * non-empty path segment), who may call it, and its code.
 */
public record Route(String method, String template, Access access, Endpoint endpoint) {

  List<String> segments() {
    return split(template);
  }

  static List<String> split(String path) {
    String p = path.startsWith("/") ? path.substring(1) : path;
    return p.isEmpty() ? List.of() : List.of(p.split("/", -1));
  }

  /** The path parameters when {@code path} matches the template. */
  Optional<Map<String, String>> match(List<String> path) {
    List<String> t = segments();
    if (t.size() != path.size()) {
      return Optional.empty();
    }
    Map<String, String> params = new TreeMap<>();
    for (int i = 0; i < t.size(); i++) {
      String seg = t.get(i);
      if (seg.startsWith("{") && seg.endsWith("}")) {
        if (path.get(i).isEmpty()) {
          return Optional.empty();
        }
        params.put(seg.substring(1, seg.length() - 1), path.get(i));
      } else if (!seg.equals(path.get(i))) {
        return Optional.empty();
      }
    }
    return Optional.of(params);
  }
}
