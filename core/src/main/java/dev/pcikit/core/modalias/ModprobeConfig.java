package dev.pcikit.core.modalias;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The {@code alias} and {@code install} lines of modprobe.d configuration, gathered the way
 * libkmod's {@code kmod_config_new()} gathers them (kmod v30–v34 {@code libkmod-config.c}):
 *
 * <ul>
 *   <li>the search path is {@code /etc/modprobe.d}, {@code /run/modprobe.d}, {@code
 *       /usr/local/lib/modprobe.d}, {@code /usr/lib/modprobe.d} (kmod ≥ 31; the same directory as
 *       the next one on merged-/usr systems), {@code /lib/modprobe.d}, plus the module directory's
 *       {@code modules.softdep};
 *   <li>a directory contributes its files whose names end in {@code .conf} or {@code .alias} and do
 *       not start with a dot; a path that is a file contributes itself;
 *   <li>all files are read in the byte order of their names, whatever their directory; of two files
 *       with the same name only the one in the earlier directory is read (so {@code /etc} overrides
 *       {@code /lib});
 *   <li>lines: a backslash before a newline joins lines, a backslash before another character is
 *       dropped; a line starting with {@code #} is a comment; {@code alias PATTERN MODULE} has its
 *       dashes turned into underscores outside brackets.
 * </ul>
 *
 * A config alias that matches wins over modules.alias entirely (libkmod looks there first and stops
 * at the first source with an answer).
 */
public final class ModprobeConfig {

  private static final Set<String> KNOWN_COMMANDS =
      Set.of("alias", "blacklist", "options", "install", "remove", "softdep", "weakdep", "config");

  private final List<AliasEntry> aliases;
  private final List<Glob> aliasGlobs;
  private final Map<String, AliasEntry> installs;
  private final List<String> blacklist;
  private final List<Path> files;

  private ModprobeConfig(
      List<AliasEntry> aliases,
      Map<String, AliasEntry> installs,
      List<String> blacklist,
      List<Path> files) {
    this.aliases = List.copyOf(aliases);
    List<Glob> globs = new ArrayList<>();
    for (AliasEntry a : aliases) {
      globs.add(Glob.compile(a.pattern(), 0));
    }
    this.aliasGlobs = List.copyOf(globs);
    this.installs = Map.copyOf(installs);
    this.blacklist = List.copyOf(blacklist);
    this.files = List.copyOf(files);
  }

  /** No configuration at all (kmod with {@code -C} pointing at an empty directory). */
  public static ModprobeConfig empty() {
    return new ModprobeConfig(List.of(), Map.of(), List.of(), List.of());
  }

  /** The default search path under a system root (see the class comment). */
  public static List<Path> defaultPaths(Path root) {
    return List.of(
        root.resolve("etc/modprobe.d"),
        root.resolve("run/modprobe.d"),
        root.resolve("usr/local/lib/modprobe.d"),
        root.resolve("usr/lib/modprobe.d"),
        root.resolve("lib/modprobe.d"));
  }

  /**
   * Reads the configuration from {@code paths} (directories or files, in precedence order) and the
   * module directory's {@code modules.softdep} (which kmod parses as a configuration file too).
   */
  static ModprobeConfig load(List<Path> paths, Path modulesDir, Warnings warnings) {
    TreeMap<String, Path> byName = new TreeMap<>(ModprobeConfig::compareBytes);
    if (modulesDir != null) {
      Path softdep = modulesDir.resolve("modules.softdep");
      if (Files.isRegularFile(softdep)) {
        byName.put("modules.softdep", softdep);
      }
    }
    for (Path path : paths) {
      if (Files.isDirectory(path)) {
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(path)) {
          for (Path f : dir) {
            String name = f.getFileName().toString();
            if (name.startsWith(".") || !(name.endsWith(".conf") || name.endsWith(".alias"))) {
              continue;
            }
            if (name.length() < 6) {
              continue;
            }
            if (Files.isDirectory(f)) {
              warnings.add(f + ": directories inside modprobe.d are not read (as kmod)");
              continue;
            }
            byName.putIfAbsent(name, f);
          }
        } catch (IOException e) {
          warnings.add(path + ": cannot list: " + e.getMessage());
        }
      } else if (Files.exists(path)) {
        byName.putIfAbsent(path.getFileName().toString(), path);
      }
    }
    List<AliasEntry> aliases = new ArrayList<>();
    Map<String, AliasEntry> installs = new TreeMap<>();
    List<String> blacklist = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    for (Path f : byName.values()) {
      files.add(f);
      try {
        parse(f, aliases, installs, blacklist, warnings);
      } catch (IOException e) {
        warnings.add(
            f + ": cannot read (" + e.getMessage() + "); its alias lines, if any, are missing");
      }
    }
    return new ModprobeConfig(aliases, installs, blacklist, files);
  }

  /** strcmp() order of file names. */
  private static int compareBytes(String a, String b) {
    byte[] x = a.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] y = b.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return java.util.Arrays.compareUnsigned(x, y);
  }

  private static void parse(
      Path file,
      List<AliasEntry> aliases,
      Map<String, AliasEntry> installs,
      List<String> blacklist,
      Warnings warnings)
      throws IOException {
    List<String[]> physical = new ArrayList<>();
    BoundedLines.read(
        file,
        false,
        (number, text) -> physical.add(new String[] {String.valueOf(number), text}),
        warnings);
    // join continuation lines: a backslash before the newline (kmod's freadline_wrapped)
    StringBuilder logical = new StringBuilder();
    int start = -1;
    for (String[] p : physical) {
      int number = Integer.parseInt(p[0]);
      String text = p[1];
      if (start < 0) {
        start = number;
      }
      int trailing = 0;
      for (int i = text.length() - 1; i >= 0 && text.charAt(i) == '\\'; i--) {
        trailing++;
      }
      if (trailing % 2 == 1) {
        logical.append(text, 0, text.length() - 1);
        continue;
      }
      logical.append(text);
      command(file, start, unescape(logical.toString()), aliases, installs, blacklist, warnings);
      logical.setLength(0);
      start = -1;
    }
    if (start >= 0) {
      command(file, start, unescape(logical.toString()), aliases, installs, blacklist, warnings);
    }
  }

  /** kmod drops a backslash and keeps the character after it. */
  private static String unescape(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        b.append(s.charAt(++i));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  private static void command(
      Path file,
      int line,
      String text,
      List<AliasEntry> aliases,
      Map<String, AliasEntry> installs,
      List<String> blacklist,
      Warnings warnings) {
    if (text.isEmpty() || text.charAt(0) == '#') {
      return;
    }
    // strtok(line, "\t ")
    String[] tokens =
        java.util.Arrays.stream(text.split("[ \t]+"))
            .filter(t -> !t.isEmpty())
            .toArray(String[]::new);
    if (tokens.length == 0) {
      return;
    }
    String cmd = tokens[0];
    String where = file + ":" + line;
    switch (cmd) {
      case "alias" -> {
        if (tokens.length < 3) {
          warnings.add(where + ": 'alias' needs a pattern and a module; line ignored (as kmod)");
          return;
        }
        Optional<String> pattern = KmodNames.normalizeAlias(tokens[1]);
        Optional<String> module = KmodNames.normalizeAlias(tokens[2]);
        if (pattern.isEmpty() || module.isEmpty()) {
          warnings.add(where + ": unmatched bracket in 'alias' line; ignored (as kmod)");
          return;
        }
        aliases.add(new AliasEntry(pattern.get(), module.get(), file.toString(), line));
      }
      case "install", "remove" -> {
        if (tokens.length < 3) {
          warnings.add(where + ": '" + cmd + "' needs a module and a command; ignored (as kmod)");
          return;
        }
        Optional<String> module = KmodNames.normalizeAlias(tokens[1]);
        if (module.isEmpty()) {
          warnings.add(where + ": unmatched bracket in '" + cmd + "' line; ignored (as kmod)");
          return;
        }
        installs.putIfAbsent(
            module.get(), new AliasEntry(module.get(), module.get(), file.toString(), line));
      }
      case "blacklist" -> {
        if (tokens.length >= 2) {
          KmodNames.normalizeAlias(tokens[1]).ifPresent(blacklist::add);
        }
      }
      default -> {
        if (!KNOWN_COMMANDS.contains(cmd)) {
          warnings.add(where + ": unknown command '" + cmd + "'; line ignored (as kmod)");
        }
      }
    }
  }

  /** Config aliases whose pattern matches the normalised alias (kmod: {@code fnmatch(p, s, 0)}). */
  List<AliasEntry> matching(String alias) {
    List<AliasEntry> out = new ArrayList<>(0);
    for (int i = 0; i < aliases.size(); i++) {
      if (aliasGlobs.get(i).matches(alias, 0)) {
        out.add(aliases.get(i));
      }
    }
    return out;
  }

  /**
   * The first {@code install} or {@code remove} line for exactly this name, if any (kmod's lookup
   * from commands answers with the module of that name).
   */
  Optional<AliasEntry> install(String name) {
    return Optional.ofNullable(installs.get(name));
  }

  /** All alias lines, in the order kmod applies them. */
  public List<AliasEntry> aliases() {
    return aliases;
  }

  /** Module names on {@code blacklist} lines (udev does not autoload them; -R ignores them). */
  public List<String> blacklist() {
    return blacklist;
  }

  /** The files read, in order. */
  public List<Path> files() {
    return files;
  }
}
