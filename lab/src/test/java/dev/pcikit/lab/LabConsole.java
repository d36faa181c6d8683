package dev.pcikit.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A lab guest's serial console, split into the sections the guest's /init prints (see
 * lab/guest/x86/init and lib.sh):
 *
 * <pre>
 * =====LAB-SCENARIO-BEGIN name=====
 * -----LAB-FILE file-----            (a command's output)
 * -----LAB-FILE-END file rc=0 ms=12-----
 * LAB-KV key=value
 * =====LAB-SCENARIO-END name rc=0 ms=1234=====
 * LAB-DONE
 * </pre>
 *
 * Lines outside any scenario (kernel messages, LAB-BOOT) belong to no scenario.
 */
public final class LabConsole {
  private static final Pattern BEGIN = Pattern.compile("^=====LAB-SCENARIO-BEGIN (\\S+)=====$");
  private static final Pattern END =
      Pattern.compile("^=====LAB-SCENARIO-END (\\S+) rc=(\\d+) ms=(-?\\d+)=====$");
  private static final Pattern FILE = Pattern.compile("^-----LAB-FILE (\\S+)-----$");
  private static final Pattern FILE_END =
      Pattern.compile("^-----LAB-FILE-END (\\S+) rc=(\\d+) ms=(-?\\d+)-----$");
  private static final Pattern KV = Pattern.compile("^LAB-KV ([^=\\s]+)=(.*)$");

  private final Path log;
  private final List<String> lines;
  private final Map<String, LabScenario> scenarios;
  private final boolean done;

  private LabConsole(Path log, List<String> lines) {
    this.log = log;
    this.lines = List.copyOf(lines);
    this.scenarios = parse(this.lines);
    this.done = this.lines.stream().anyMatch(l -> l.equals("LAB-DONE"));
  }

  public static LabConsole read(Path log) {
    try {
      String text = Files.readString(log, java.nio.charset.StandardCharsets.ISO_8859_1);
      return new LabConsole(log, List.of(text.replace("\r", "").split("\n", -1)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static LabConsole of(Path log, List<String> lines) {
    return new LabConsole(log, lines);
  }

  public Path log() {
    return log;
  }

  /** Whether the guest reached the end of /init (LAB-DONE) instead of crashing or hanging. */
  public boolean done() {
    return done;
  }

  public Optional<LabScenario> scenario(String name) {
    return Optional.ofNullable(scenarios.get(name));
  }

  public Map<String, LabScenario> scenarios() {
    return scenarios;
  }

  /** Values of the LAB-BOOT key=value pairs outside scenarios (uptimes, kernel). */
  public Map<String, String> bootValues() {
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : lines) {
      if (line.startsWith("LAB-BOOT ")) {
        for (String pair : line.substring(9).split(" ")) {
          int eq = pair.indexOf('=');
          if (eq > 0) {
            values.put(pair.substring(0, eq), pair.substring(eq + 1));
          }
        }
      }
    }
    return values;
  }

  public List<String> lastLines(int n) {
    int end = lines.size();
    while (end > 0 && lines.get(end - 1).isEmpty()) {
      end--;
    }
    return lines.subList(Math.max(0, end - n), end);
  }

  private static Map<String, LabScenario> parse(List<String> lines) {
    Map<String, LabScenario> result = new LinkedHashMap<>();
    String name = null;
    List<String> body = new ArrayList<>();
    Map<String, LabScenario.Block> files = new LinkedHashMap<>();
    Map<String, String> values = new LinkedHashMap<>();
    String fileName = null;
    List<String> fileLines = new ArrayList<>();
    for (String line : lines) {
      Matcher m;
      if ((m = BEGIN.matcher(line)).matches()) {
        if (name != null) { // the previous scenario never ended: keep what it printed
          result.put(name, new LabScenario(name, -1, -1, body, files, values));
        }
        name = m.group(1);
        body = new ArrayList<>();
        files = new LinkedHashMap<>();
        values = new LinkedHashMap<>();
        fileName = null;
        continue;
      }
      if (name == null) {
        continue;
      }
      if ((m = END.matcher(line)).matches() && m.group(1).equals(name)) {
        result.put(
            name,
            new LabScenario(
                name,
                Integer.parseInt(m.group(2)),
                Long.parseLong(m.group(3)),
                body,
                files,
                values));
        name = null;
        continue;
      }
      body.add(line);
      if (fileName != null) {
        if ((m = FILE_END.matcher(line)).matches() && m.group(1).equals(fileName)) {
          files.put(
              fileName,
              new LabScenario.Block(
                  fileName,
                  Integer.parseInt(m.group(2)),
                  Long.parseLong(m.group(3)),
                  List.copyOf(fileLines)));
          fileName = null;
        } else {
          fileLines.add(line);
        }
      } else if ((m = FILE.matcher(line)).matches()) {
        fileName = m.group(1);
        fileLines = new ArrayList<>();
      } else if ((m = KV.matcher(line)).matches()) {
        values.put(m.group(1), m.group(2));
      }
    }
    if (name != null) {
      result.put(name, new LabScenario(name, -1, -1, body, files, values));
    }
    return Map.copyOf(result);
  }
}
