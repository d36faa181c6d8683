package dev.pcikit.core.vfio;

import dev.pcikit.core.model.PciAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The intent journal: a stack of the operations running now, outermost first, written atomically
 * before each step and emptied when they have finished (or been undone). An {@code sriov enable} is
 * one entry and the bind transaction it runs is a second one on top of it. A journal found at start
 * means the last run died (kill -9, power loss): {@code Recovery} (dev.pcikit.core.host) finishes
 * or undoes its entries, innermost first.
 *
 * <p>Format ({@code STATE/journal}, text, one record per line; each entry starts with an {@code
 * entry KIND} line):
 *
 * <pre>
 * pcikit-journal 2
 * entry sriov-enable
 * pf 0000:17:00.0
 * for vfio|host
 * count N
 * prior-numvfs M
 * prior-autoprobe 0|1
 * entry binding
 * op bind|release
 * persist yes|no
 * phase run|rollback|committed
 * step override|unbind|probe|settle|verify
 * device BDF FROM_DRIVER FROM_OVERRIDE TO_DRIVER TO_OVERRIDE
 * </pre>
 *
 * '-' means none; TO_DRIVER '*' means the kernel's choice.
 *
 * <p>Earlier versions wrote two files: {@code journal} version 1 (one binding entry, the lines
 * above without {@code entry}) and {@code sriov-journal} ({@code pcikit-sriov-journal 1}, the
 * sriov-enable lines). Both are still read, the SR-IOV one as the outer entry; the first write
 * replaces them with one version 2 file. Once a version 2 file exists, a leftover {@code
 * sriov-journal} (a crash between that write and its deletion) has been merged and is ignored.
 */
public final class Journal {
  /** The first line of the current format. */
  public static final String HEADER = "pcikit-journal 2";

  static final String HEADER_V1 = "pcikit-journal 1";
  static final String SRIOV_HEADER = "pcikit-sriov-journal 1";

  /** Where a binding transaction was: running, rolling back, or committed (only records left). */
  public enum Phase {
    RUN,
    ROLLBACK,
    COMMITTED
  }

  /** One operation in the journal. */
  public sealed interface Entry permits BindingEntry, SriovEnableEntry {}

  /**
   * A bind or release transaction of the binding engine.
   *
   * @param op bind or release
   * @param persist whether the bindings are persisted once committed
   * @param phase running, rolling back, or committed
   * @param step the step batch about to run
   * @param transitions every device's move
   */
  public record BindingEntry(
      Operation op, boolean persist, Phase phase, String step, List<Transition> transitions)
      implements Entry {

    /** The same transaction at another phase and step. */
    public BindingEntry with(Phase p, String s) {
      return new BindingEntry(op, persist, p, s, transitions);
    }
  }

  /**
   * An {@code sriov enable}: what it asked for and what the PF was before it.
   *
   * @param pf the physical function
   * @param forVfio VFs for VFIO (host autoprobe off) or for the host
   * @param count the VF count asked for
   * @param priorNumVfs {@code sriov_numvfs} before
   * @param priorAutoprobe {@code sriov_drivers_autoprobe} before
   */
  public record SriovEnableEntry(
      PciAddress pf, boolean forVfio, int count, int priorNumVfs, boolean priorAutoprobe)
      implements Entry {}

  private final Path file;
  private final Path legacySriov;
  private List<Entry> stack;

  public Journal(Path stateDir) {
    this.file = stateDir.resolve("journal");
    this.legacySriov = stateDir.resolve("sriov-journal");
  }

  public Path file() {
    return file;
  }

  /** Whether anything is pending (in this file or a previous version's SR-IOV journal). */
  public boolean exists() {
    return Files.exists(file) || Files.exists(legacySriov);
  }

  /**
   * The pending entries, outermost first, read from disk now; empty when nothing is pending. A
   * journal that cannot be parsed is an error naming the file and the way out.
   */
  public List<Entry> read() throws IOException {
    List<Entry> out = new ArrayList<>();
    boolean current = false;
    List<String> lines = null;
    if (Files.exists(file)) {
      lines = StateFiles.lines(file, "journal");
      current = !lines.isEmpty() && lines.get(0).equals(HEADER);
    }
    if (!current && Files.exists(legacySriov)) {
      out.add(legacySriov());
    }
    if (lines != null) {
      out.addAll(current ? parse(lines) : parseV1(lines));
    }
    stack = new ArrayList<>(out);
    return List.copyOf(out);
  }

  /** The innermost pending entry, read from disk now. */
  public Optional<Entry> top() throws IOException {
    List<Entry> s = read();
    return s.isEmpty() ? Optional.empty() : Optional.of(s.get(s.size() - 1));
  }

  /** The innermost pending binding transaction, read from disk now. */
  public Optional<BindingEntry> pendingBinding() throws IOException {
    List<Entry> s = read();
    for (int i = s.size() - 1; i >= 0; i--) {
      if (s.get(i) instanceof BindingEntry b) {
        return Optional.of(b);
      }
    }
    return Optional.empty();
  }

  /** Starts an operation: the entries on disk now, with {@code e} on top. */
  public void push(Entry e) throws IOException {
    read();
    stack.add(e);
    store();
  }

  /** The innermost operation moved on (its phase or step): {@code e} replaces it. */
  public void replaceTop(Entry e) throws IOException {
    loaded();
    if (stack.isEmpty() || stack.get(stack.size() - 1).getClass() != e.getClass()) {
      throw new IllegalStateException("journal: no " + e.getClass().getSimpleName() + " on top");
    }
    stack.set(stack.size() - 1, e);
    store();
  }

  /** The innermost operation finished or was undone: it goes; the file goes with the last one. */
  public void pop() throws IOException {
    loaded();
    if (!stack.isEmpty()) {
      stack.remove(stack.size() - 1);
    }
    store();
  }

  /** Removes every entry (and a previous version's files). */
  public void clear() throws IOException {
    stack = new ArrayList<>();
    store();
  }

  private void loaded() throws IOException {
    if (stack == null) {
      read();
    }
  }

  private void store() throws IOException {
    if (stack.isEmpty()) {
      AtomicFiles.delete(file);
    } else {
      AtomicFiles.write(file, encode(stack));
    }
    // after the version-2 file holds what it said (or nothing is pending): see the class comment
    if (Files.exists(legacySriov)) {
      AtomicFiles.delete(legacySriov);
    }
  }

  static String encode(List<Entry> entries) {
    StringBuilder sb = new StringBuilder(128);
    sb.append(HEADER).append('\n');
    for (Entry e : entries) {
      if (e instanceof BindingEntry b) {
        sb.append("entry binding\n");
        sb.append("op ").append(b.op().word()).append('\n');
        sb.append("persist ").append(b.persist() ? "yes" : "no").append('\n');
        sb.append("phase ").append(b.phase().name().toLowerCase(Locale.ROOT)).append('\n');
        sb.append("step ").append(b.step()).append('\n');
        for (Transition t : b.transitions()) {
          sb.append("device ")
              .append(t.address())
              .append(' ')
              .append(t.from().encode())
              .append(' ')
              .append(t.to().encode())
              .append('\n');
        }
      } else if (e instanceof SriovEnableEntry s) {
        sb.append("entry sriov-enable\n");
        sb.append("pf ").append(s.pf()).append('\n');
        sb.append("for ").append(s.forVfio() ? "vfio" : "host").append('\n');
        sb.append("count ").append(s.count()).append('\n');
        sb.append("prior-numvfs ").append(s.priorNumVfs()).append('\n');
        sb.append("prior-autoprobe ").append(s.priorAutoprobe() ? 1 : 0).append('\n');
      }
    }
    return sb.toString();
  }

  /** Version 2: entries, each from its {@code entry KIND} line to the next. */
  private List<Entry> parse(List<String> lines) {
    List<Entry> out = new ArrayList<>();
    int start = -1;
    for (int i = 1; i <= lines.size(); i++) {
      if (i == lines.size() || lines.get(i).startsWith("entry ")) {
        if (start > 0) {
          out.add(entry(lines, start, i));
        } else if (i > 1) {
          throw StateFiles.corruptJournal(
              file, "line 2: expected 'entry KIND', got '" + StateFiles.shown(lines.get(1)) + "'");
        }
        start = i;
      }
    }
    return out;
  }

  private Entry entry(List<String> lines, int start, int end) {
    String kind = lines.get(start).substring("entry ".length());
    return switch (kind) {
      case "binding" -> binding(lines, start + 1, end);
      case "sriov-enable" -> sriov(file, lines, start + 1, end);
      default ->
          throw StateFiles.corruptJournal(
              file, "line " + (start + 1) + ": unknown entry '" + StateFiles.shown(kind) + "'");
    };
  }

  /** Version 1: one binding entry. */
  private List<Entry> parseV1(List<String> lines) {
    if (lines.isEmpty() || !lines.get(0).equals(HEADER_V1)) {
      throw StateFiles.corruptJournal(
          file, "not a pcikit journal: first line '" + StateFiles.shown(first(lines)) + "'");
    }
    return List.of(binding(lines, 1, lines.size()));
  }

  private BindingEntry binding(List<String> lines, int from, int to) {
    Operation op = null;
    String step = "";
    boolean persist = false;
    Phase phase = null;
    List<Transition> ts = new ArrayList<>();
    for (int i = from; i < to; i++) {
      String[] f = lines.get(i).split(" ");
      try {
        switch (f[0]) {
          case "op" -> op = Operation.ofWord(f[1]);
          case "persist" -> persist = f[1].equals("yes");
          case "phase" -> phase = Phase.valueOf(f[1].toUpperCase(Locale.ROOT));
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
    return new BindingEntry(op, persist, phase, step, List.copyOf(ts));
  }

  private SriovEnableEntry legacySriov() {
    List<String> lines = StateFiles.lines(legacySriov, "SR-IOV journal");
    if (lines.isEmpty() || !lines.get(0).equals(SRIOV_HEADER)) {
      throw StateFiles.corruptJournal(legacySriov, "not a pcikit SR-IOV journal");
    }
    return sriov(legacySriov, lines, 1, lines.size());
  }

  /** The sriov-enable lines {@code from..to}: every key once. */
  private static SriovEnableEntry sriov(Path source, List<String> lines, int from, int to) {
    String[] keys = {"pf", "for", "count", "prior-numvfs", "prior-autoprobe"};
    String[] values = new String[keys.length];
    for (int i = from; i < to; i++) {
      String l = lines.get(i);
      int k = 0;
      while (k < keys.length && !l.startsWith(keys[k] + " ")) {
        k++;
      }
      if (k == keys.length || values[k] != null) {
        throw StateFiles.corruptJournal(
            source, "line " + (i + 1) + ": malformed: '" + StateFiles.shown(l) + "'");
      }
      values[k] = l.substring(keys[k].length() + 1).strip();
    }
    for (int k = 0; k < keys.length; k++) {
      if (values[k] == null) {
        throw StateFiles.corruptJournal(source, "no '" + keys[k] + "' line");
      }
    }
    try {
      return new SriovEnableEntry(
          PciAddress.parse(values[0]),
          values[1].equals("vfio"),
          Integer.parseInt(values[2]),
          Integer.parseInt(values[3]),
          values[4].equals("1"));
    } catch (RuntimeException e) {
      throw StateFiles.corruptJournal(source, StateFiles.shown(String.valueOf(e.getMessage())));
    }
  }

  private static String first(List<String> lines) {
    return lines.isEmpty() ? "(empty)" : lines.get(0);
  }
}
