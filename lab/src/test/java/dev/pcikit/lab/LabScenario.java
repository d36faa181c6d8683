package dev.pcikit.lab;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One scenario's section of a lab console: its exit status ({@code -1} when the guest never printed
 * the end marker), duration in guest time, every line it printed, its named command outputs and its
 * LAB-KV values.
 */
public record LabScenario(
    String name,
    int rc,
    long millis,
    List<String> lines,
    Map<String, Block> files,
    Map<String, String> values) {

  public LabScenario {
    lines = List.copyOf(lines);
    files = Map.copyOf(files);
    values = Map.copyOf(values);
  }

  /** The output of one command run with lab_file in the guest. */
  public record Block(String name, int rc, long millis, List<String> lines) {
    public Block {
      lines = List.copyOf(lines);
    }

    public String text() {
      return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
    }
  }

  public Optional<Block> file(String name) {
    return Optional.ofNullable(files.get(name));
  }

  public Optional<String> value(String key) {
    return Optional.ofNullable(values.get(key));
  }

  public List<String> lastLines(int n) {
    return lines.subList(Math.max(0, lines.size() - n), lines.size());
  }
}
