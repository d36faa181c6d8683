package dev.pcikit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.cli.CliRun.Run;
import dev.pcikit.core.model.PciAddress;
import dev.pcikit.core.sysfs.Sysfs;
import dev.pcikit.core.vfio.BindingRecords;
import dev.pcikit.core.vfio.HostLock;
import dev.pcikit.core.vfio.Journal;
import dev.pcikit.core.vfio.VfioDrivers;
import dev.pcikit.sim.HostSession;
import dev.pcikit.sim.KillPoints;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a real pcikit JVM during {@code sriov enable} on a rehearsed host (demo:nic-farm), at
 * every kill point of a 2-VF enable and at the last points of a 128-VF one ({@link KillPoints}:
 * before each simulated kernel write, before and after each save of the host state). After the
 * kill, {@code vfio status} names any pending journal; after {@code pcikit recover}: no journal,
 * the lock free, and the binding records agree with the saved host (every record's device exists
 * and is on the recorded driver; every VF of the PF on VFIO has a record; the pool is whole or
 * gone).
 */
class RehearsalCrashTest {
  @TempDir Path tmp;

  static final String HOST = "--host=demo:nic-farm";
  static final String PF = "0000:17:00.0";

  @AfterEach
  void clear() {
    System.clearProperty("pcikit.stateDir");
  }

  private Run inProcess(Path stateDir, String... args) {
    System.setProperty("pcikit.stateDir", stateDir.toString());
    return CliRun.run(args);
  }

  /** The demo with the PF's VFs disabled: where every kill-point run starts. */
  private Path base() {
    Path base = tmp.resolve("base");
    Run r = inProcess(base, HOST, "sriov", "disable", PF);
    assertThat(r.code()).as(r.err()).isZero();
    return base;
  }

  @Test
  @Timeout(value = 40, unit = TimeUnit.MINUTES)
  void everyKillPointRecoversToRecordsThatMatchTheHost() throws Exception {
    Path base = base();
    int stopped = 0;
    int point = 1;
    for (; ; point++) {
      Optional<Path> dir = killAt(base, point, "2");
      if (dir.isEmpty()) {
        break; // the enable finished before this point: every point was covered
      }
      check(dir.get(), 2);
      stopped++;
    }
    assertThat(stopped).isGreaterThan(15);
    // the same tail with 128 VFs: two more events per further VF (override, probe)
    int last128 = point - 1 + 2 * (128 - 2);
    int stopped128 = 0;
    for (int p : new int[] {last128 - 9, last128 - 6, last128 - 4, last128 - 2, last128}) {
      Optional<Path> dir = killAt(base, p, "128");
      if (dir.isPresent()) {
        check(dir.get(), 128);
        stopped128++;
      }
    }
    assertThat(stopped128).isGreaterThanOrEqualTo(3);
    System.out.println(
        "RehearsalCrashTest: killed at "
            + stopped
            + " points (2 VFs), "
            + stopped128
            + " (128 VFs)");
  }

  /**
   * Runs {@code sriov enable PF --vfs N} in a new JVM on a copy of the base state, killing it with
   * SIGKILL at the point; empty when it finished first.
   */
  private Optional<Path> killAt(Path base, int point, String vfs) throws Exception {
    Path dir = tmp.resolve("vfs" + vfs + "-at" + point);
    copy(base, dir);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java,
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                "-Dpcikit.stateDir=" + dir,
                "-D" + KillPoints.PROPERTY + "=" + point,
                Main.class.getName(),
                HOST,
                "sriov",
                "enable",
                PF,
                "--vfs",
                vfs)
            .redirectOutput(dir.resolve("out.log").toFile())
            .start();
    boolean atPoint = false;
    StringBuilder err = new StringBuilder();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        err.append(line).append('\n');
        if (line.equals(KillPoints.MARK + point)) {
          atPoint = true;
          p.destroyForcibly(); // SIGKILL on Linux
          break;
        }
      }
    }
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    if (!atPoint) {
      assertThat(p.exitValue()).as("point %d: %s", point, err).isZero();
      return Optional.empty();
    }
    assertThat(p.exitValue()).as("killed at %d", point).isEqualTo(137);
    return Optional.of(dir);
  }

  private void check(Path dir, int vfs) throws IOException {
    Path pcikit = dir.resolve("demo/nic-farm.snapshot.pcikit");
    Path state = pcikit.resolve("var/lib/pcikit");
    String at = dir.getFileName().toString();
    List<Journal.Entry> pending = new Journal(state).read();
    boolean sriovPending = pending.stream().anyMatch(e -> e instanceof Journal.SriovEnableEntry);
    boolean bindPending = pending.stream().anyMatch(e -> e instanceof Journal.BindingEntry);
    Run status = inProcess(dir, HOST, "vfio", "status");
    if (sriovPending) {
      assertThat(status.out()).as(at).contains("Interrupted operation: sriov enable of " + PF);
    }
    if (bindPending) {
      assertThat(status.out()).as(at).contains("Interrupted operation: bind of ");
    }
    if (!sriovPending && !bindPending) {
      assertThat(status.out()).as(at).contains("Interrupted operation: none");
    }
    Run recover = inProcess(dir, HOST, "recover");
    assertThat(recover.code()).as(at + ": " + recover.err()).isZero();
    assertThat(state.resolve("journal")).as(at).doesNotExist();
    assertThat(state.resolve("sriov-journal")).as(at).doesNotExist();
    assertThat(HostLock.isHeld(pcikit.resolve("run/pcikit"))).as(at).isFalse();
    // the records agree with the saved host
    System.setProperty("pcikit.stateDir", dir.toString());
    Sysfs host = HostSession.open("demo:nic-farm").sysfs();
    Map<PciAddress, BindingRecords.Record> recs = new BindingRecords(state).read();
    for (BindingRecords.Record r : recs.values()) {
      String d = "bus/pci/devices/" + r.address();
      assertThat(host.exists(d)).as("%s: record of %s, device present", at, r.address()).isTrue();
      assertThat(driver(host, r.address())).as("%s: %s", at, r.address()).isEqualTo(r.driver());
    }
    List<PciAddress> vfAddrs = vfs(host);
    for (PciAddress vf : vfAddrs) {
      if (VfioDrivers.isVfio(driver(host, vf))) {
        assertThat(recs).as("%s: record of VF %s on VFIO", at, vf).containsKey(vf);
      }
    }
    assertThat(vfAddrs.size()).as(at).isIn(0, vfs);
    if (vfAddrs.size() == vfs) {
      assertThat(vfAddrs).allMatch(v -> VfioDrivers.isVfio(driver(host, v)), "pool whole");
    }
    assertThat(inProcess(dir, HOST, "vfio", "status").out())
        .as(at)
        .contains("Interrupted operation: none");
  }

  private static List<PciAddress> vfs(Sysfs host) throws IOException {
    Map<Integer, PciAddress> out = new TreeMap<>();
    for (String n : host.list("bus/pci/devices/" + PF)) {
      if (n.startsWith("virtfn")) {
        String t = host.readLink("bus/pci/devices/" + PF + "/" + n).orElseThrow();
        out.put(
            Integer.parseInt(n.substring(6)),
            PciAddress.parse(Path.of(t).getFileName().toString()));
      }
    }
    return new ArrayList<>(out.values());
  }

  private static String driver(Sysfs host, PciAddress a) {
    try {
      return host.readLink("bus/pci/devices/" + a + "/driver")
          .map(t -> Path.of(t).getFileName().toString())
          .orElse(null);
    } catch (IOException e) {
      return null;
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
  }
}
