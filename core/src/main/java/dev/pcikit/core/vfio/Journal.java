package dev.pcikit.core.vfio;

import dev.pcikit.core.model.PciAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The intent journal: what a running operation is about to do, written atomically before each step
 * batch, deleted when the operation has finished (or been undone). A journal found at start means
 * the last run died (kill -9, power loss): {@code Recovery} (dev.pcikit.core.host) completes or
 * undoes it.
 *
 * <p>Format ({@code STATE/journal}, text, one record per line):
 *
 * <pre>
 * pcikit-journal 1
 * op bind|release
 * persist yes|no
 * phase run|rollback|committed
 * step override|unbind|probe|settle|verify
 * device BDF FROM_DRIVER FROM_OVERRIDE TO_DRIVER TO_OVERRIDE
 * </pre>
 *
 * '-' means none; TO_DRIVER '*' means the kernel's choice.
 */
public final class Journal {
  public static final String HEADER = "pcikit-journal 1";

  /** Where an operation was: running, rolling back, or committed (only records left). */
  public enum Phase {
    RUN,
    ROLLBACK,
    COMMITTED
  }

  /** A journal's content. */
  public record Entry(
      Operation op, boolean persist, Phase phase, String step, List<Transition> transitions) {

    public Entry with(Phase p, String s) {
      return new Entry(op, persist, p, s, transitions);
    }

    String encode() {
      StringBuilder sb = new StringBuilder(64 + transitions.size() * 64);
      sb.append(HEADER).append('\n');
      sb.append("op ").append(op.word()).append('\n');
      sb.append("persist ").append(persist ? "yes" : "no").append('\n');
      sb.append("phase ").append(phase.name().toLowerCase()).append('\n');
      sb.append("step ").append(step).append('\n');
      for (Transition t : transitions) {
        sb.append("device ")
            .append(t.address())
            .append(' ')
            .append(t.from().encode())
            .append(' ')
            .append(t.to().encode())
            .append('\n');
      }
      return sb.toString();
    }
  }

  private final Path file;

  public Journal(Path stateDir) {
    this.file = stateDir.resolve("journal");
  }

  public Path file() {
    return file;
  }

  public void write(Entry e) throws IOException {
    AtomicFiles.write(file, e.encode());
  }

  public void clear() throws IOException {
    AtomicFiles.delete(file);
  }

  public boolean exists() {
    return Files.exists(file);
  }

  /** The pending entry, if any; a journal that cannot be parsed is an error naming the file. */
  public Optional<Entry> read() throws IOException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    List<String> lines = StateFiles.lines(file, "journal");
    if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
      throw StateFiles.corruptJournal(
          file, "not a pcikit journal: first line '" + StateFiles.shown(first(lines)) + "'");
    }
    Operation op = null;
    String step = "";
    boolean persist = false;
    Phase phase = null;
    List<Transition> ts = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      String[] f = lines.get(i).split(" ");
      try {
        switch (f[0]) {
          case "op" -> op = Operation.ofWord(f[1]);
          case "persist" -> persist = f[1].equals("yes");
          case "phase" -> phase = Phase.valueOf(f[1].toUpperCase());
          case "step" -> step = f.length > 1 ? f[1] : "";
          case "device" ->
              ts.add(
                  new Transition(
                      PciAddress.parse(f[1]),
                      Binding.decode(f[2], f[3]),
                      Target.decode(f[4], f[5])));
          default -> throw new IllegalArgumentException("unknown record");
        }
      } catch (RuntimeException e) {
        throw StateFiles.corruptJournal(
            file, "line " + (i + 1) + ": malformed: '" + StateFiles.shown(lines.get(i)) + "'");
      }
    }
    if (op == null || phase == null) {
      throw StateFiles.corruptJournal(file, "no op or phase line");
    }
    return Optional.of(new Entry(op, persist, phase, step, List.copyOf(ts)));
  }

  private static String first(List<String> lines) {
    return lines.isEmpty() ? "(empty)" : lines.get(0);
  }
}
