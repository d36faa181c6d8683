package dev.pcikit.core.vfio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 8 real JVM processes bind and release overlapping device sets on one shared host (state file +
 * lock file), two of them killed mid-transaction. Afterwards, and after the recovery the next run
 * does first, the host is consistent.
 */
class ConcurrencyTest {
  @TempDir Path root;

  @Test
  void eightProcessesEndConsistent() throws Exception {
    SimHost initial = new SimHost(root);
    Map<String, String> original = initial.bindings();
    SimStateFile.save(initial, root.resolve("host-state"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<Process> ps = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      ps.add(
          new ProcessBuilder(
                  java,
                  "-XX:TieredStopAtLevel=1",
                  "-XX:+UseSerialGC",
                  "-cp",
                  System.getProperty("java.class.path"),
                  ConcurrencyWorker.class.getName(),
                  root.toString(),
                  String.valueOf(i),
                  "3",
                  i >= 6 ? "1" : "-1")
              .redirectErrorStream(true)
              .redirectOutput(root.resolve("worker-" + i + ".log").toFile())
              .start());
    }
    for (int i = 0; i < ps.size(); i++) {
      assertThat(ps.get(i).waitFor(240, TimeUnit.SECONDS)).isTrue();
      int code = ps.get(i).exitValue();
      assertThat(code)
          .as("worker %d: %s", i, Files.readString(root.resolve("worker-" + i + ".log")))
          .isEqualTo(i >= 6 ? 137 : 0);
    }
    SimHost after = new SimHost(root, false);
    SimStateFile.load(after, root.resolve("host-state"));
    try (HostLock lock = HostLock.acquire(after.env().runDir(), after.env().lockTimeout())) {
      new VfioEngine(after.env()).recover();
    }
    assertThat(Files.exists(root.resolve("var/lib/pcikit/journal"))).isFalse();
    assertThat(HostLock.isHeld(after.env().runDir())).isFalse();
    Map<String, String> now = after.bindings();
    String vfio = Binding.decode("vfio-pci", "vfio-pci").encode();
    Map<dev.pcikit.core.model.PciAddress, BindingRecords.Record> recs =
        new BindingRecords(root.resolve("var/lib/pcikit")).read();
    for (Map.Entry<String, String> e : now.entrySet()) {
      assertThat(e.getValue()).as(e.getKey()).isIn(original.get(e.getKey()), vfio);
      boolean recorded = recs.containsKey(dev.pcikit.core.model.PciAddress.parse(e.getKey()));
      assertThat(recorded).as("record of %s", e.getKey()).isEqualTo(e.getValue().equals(vfio));
    }
    assertThat(now.values()).contains(vfio); // the workers did bind something
  }

  static String read(Path p) throws IOException {
    return Files.readString(p);
  }
}
