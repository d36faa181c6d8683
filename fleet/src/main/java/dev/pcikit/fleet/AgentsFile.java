package dev.pcikit.fleet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The agents a collector keeps in the fleet, one per line: {@code NAME ADDRESS [token=FILE]
 * [ca=FILE]}; {@code #} starts a comment. ADDRESS is {@code unix:/path/agent.sock} (the agent's
 * default transport), {@code https://host:port} (with the token file of a {@code read} token and,
 * for a private CA, its PEM certificate), {@code http://host:port}, or {@code file:/path/doc.json}
 * (an inventory document re-read when it changes: a host without an agent).
 */
public final class AgentsFile {
  public static final int MAX_BYTES = 1 << 20;
  public static final int MAX_AGENTS = 10_000;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,252}");

  /** One agent. */
  public record Agent(String name, String address, Path token, Path ca) {}

  private AgentsFile() {}

  public static List<Agent> read(Path file) {
    try {
      if (!Files.isRegularFile(file)) {
        throw new FleetException(FleetException.Kind.NOT_FOUND, "no agents file " + file);
      }
      if (Files.size(file) > MAX_BYTES) {
        throw invalid(file + " is larger than 1 MiB");
      }
      return parse(Files.readString(file, StandardCharsets.UTF_8), file.getParent());
    } catch (IOException e) {
      throw new FleetException(
          FleetException.Kind.INVALID_INPUT, "cannot read " + file + ": " + e.getMessage());
    }
  }

  /** Parses the text; relative paths are resolved against {@code dir}. */
  public static List<Agent> parse(String text, Path dir) {
    List<Agent> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    int n = 0;
    for (String raw : text.split("\n", -1)) {
      n++;
      int hash = raw.indexOf('#');
      String line = (hash < 0 ? raw : raw.substring(0, hash)).strip();
      if (line.isEmpty()) {
        continue;
      }
      String[] f = line.split("\\s+");
      if (f.length < 2) {
        throw invalid("line " + n + ": want NAME ADDRESS [token=FILE] [ca=FILE]");
      }
      if (!NAME.matcher(f[0]).matches()) {
        throw invalid("line " + n + ": bad host name " + f[0]);
      }
      if (!names.add(f[0])) {
        throw invalid("line " + n + ": host " + f[0] + " listed twice");
      }
      String addr = f[1];
      if (!(addr.startsWith("unix:/")
          || addr.startsWith("http://")
          || addr.startsWith("https://")
          || addr.startsWith("file:/"))) {
        throw invalid("line " + n + ": address is not unix:/…, http(s)://… or file:/…: " + addr);
      }
      Path token = null;
      Path ca = null;
      for (int i = 2; i < f.length; i++) {
        if (f[i].startsWith("token=")) {
          token = resolve(dir, f[i].substring(6));
        } else if (f[i].startsWith("ca=")) {
          ca = resolve(dir, f[i].substring(3));
        } else {
          throw invalid("line " + n + ": unknown field " + f[i]);
        }
      }
      out.add(new Agent(f[0], addr, token, ca));
      if (out.size() > MAX_AGENTS) {
        throw invalid("more than " + MAX_AGENTS + " agents");
      }
    }
    if (out.isEmpty()) {
      throw invalid("the agents file lists no agent");
    }
    return List.copyOf(out);
  }

  private static Path resolve(Path dir, String p) {
    Path path = Path.of(p);
    return dir == null || path.isAbsolute() ? path : dir.resolve(path);
  }

  private static FleetException invalid(String m) {
    return new FleetException(FleetException.Kind.INVALID_INPUT, "agents file: " + m);
  }
}
