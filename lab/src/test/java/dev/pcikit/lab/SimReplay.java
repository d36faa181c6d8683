package dev.pcikit.lab;

import dev.pcikit.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The differential half of the x86 lab: replays pcikit commands on the simulated kernel ({@code
 * pcikit --host FILE}, in-process) from a snapshot the guest recorded, and shows the simulated end
 * state in the same form as the guest's {@code lab_vfio_state} (lab/guest/lib.sh), so that a test
 * can compare exit codes and end states with the real kernel's.
 */
final class SimReplay {
  /** One pcikit run on the simulated host: exit code and everything it printed. */
  record Outcome(int exitCode, String output) {}

  private final Path stateFile;

  /** A private copy of the fixture: the session saves every write back into it. */
  SimReplay(Path dir, String fixture) throws IOException {
    this.stateFile = dir.resolve(fixture);
    Files.copy(SnapshotFixtures.dir().resolve(fixture), stateFile);
  }

  Outcome run(String... args) {
    StringWriter text = new StringWriter();
    PrintWriter w = new PrintWriter(text, true);
    List<String> all = new ArrayList<>(List.of("--host", stateFile.toString()));
    all.addAll(List.of(args));
    int code = Main.run(w, w, all.toArray(String[]::new));
    return new Outcome(code, text.toString());
  }

  /** "bdf driver override group" per device, '-' for none, as lab_vfio_state prints it. */
  List<String> vfioState(List<String> bdfs) throws IOException {
    Map<String, Map<String, String>> records = records();
    List<String> out = new ArrayList<>();
    for (String bdf : bdfs) {
      Map<String, String> r = records.getOrDefault(bdf, Map.of());
      String override = r.getOrDefault("A driver_override", "(null)");
      out.add(
          bdf
              + " "
              + last(r.get("L driver"))
              + " "
              + (override.isEmpty() || override.equals("(null)") ? "-" : override)
              + " "
              + last(r.get("L iommu_group")));
    }
    return out;
  }

  /** The 60-sriov scenario's state block: the PF's SR-IOV line, the PF, then its VFs. */
  List<String> sriovState(String pf) throws IOException {
    Map<String, Map<String, String>> records = records();
    Map<String, String> r = records.get(pf);
    List<String> out = new ArrayList<>();
    out.add(
        pf
            + " sriov numvfs="
            + r.get("A sriov_numvfs")
            + " autoprobe="
            + r.get("A sriov_drivers_autoprobe"));
    List<String> devices = new ArrayList<>(List.of(pf));
    // virtfn0, virtfn1, ... in the order the guest's shell glob lists them (lexical)
    new TreeMap<>(r)
        .forEach(
            (k, v) -> {
              if (k.startsWith("L virtfn")) {
                devices.add(last(v));
              }
            });
    out.addAll(vfioState(devices));
    return out;
  }

  /** bdf → ("A name" | "L name") → value, from the session's state file (snapshot format). */
  private Map<String, Map<String, String>> records() throws IOException {
    Map<String, Map<String, String>> out = new HashMap<>();
    for (String line : Files.readAllLines(stateFile)) {
      String[] f = line.split(" ", 4);
      if (f.length == 4 && (f[0].equals("A") || f[0].equals("L"))) {
        out.computeIfAbsent(f[1], k -> new HashMap<>()).put(f[0] + " " + f[2], f[3]);
      } else if (f.length == 3 && f[0].equals("A")) {
        out.computeIfAbsent(f[1], k -> new HashMap<>()).put("A " + f[2], "");
      }
    }
    return out;
  }

  private static String last(String link) {
    return link == null ? "-" : link.substring(link.lastIndexOf('/') + 1);
  }
}
