package dev.pcikit.core.vfio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.sysfs.Errno;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random fault schedules against binding transactions: a write failing with an errno, a probe
 * failing, a device removed between two steps, or a crash after any write (optionally a second
 * crash during the recovery that follows). Afterwards every device present is in its prior or its
 * requested binding (all of a transaction's devices in the same one), none is orphaned, the journal
 * is gone and the lock is free. 2 × 5,000 schedules.
 */
class FaultScheduleProperties {

  /** The device sets a transaction binds (with --group) or releases. */
  static final List<List<String>> SETS =
      List.of(
          List.of("0000:01:00.0"), // expands to the GPU + its audio function
          List.of("0000:03:00.0", "0000:03:00.1"),
          List.of("0000:06:00.0"),
          List.of("0000:05:00.1", "0000:05:00.2", "0000:05:00.3"),
          List.of("0000:02:00.0", "0000:06:00.0", "0000:01:00.1"));

  enum Kind {
    FAIL_WRITE,
    PROBE_FAILS,
    REMOVE_DEVICE,
    CRASH,
    CRASH_TWICE
  }

  record Schedule(int set, Kind kind, int at, int at2, Errno errno, int victim) {}

  @Provide
  Arbitrary<Schedule> schedules() {
    return Combinators.combine(
            Arbitraries.integers().between(0, SETS.size() - 1),
            Arbitraries.of(Kind.class),
            Arbitraries.integers().between(1, 30),
            Arbitraries.integers().between(1, 20),
            Arbitraries.of(Errno.EBUSY, Errno.EINVAL, Errno.ENODEV, Errno.EIO, Errno.ENOENT),
            Arbitraries.integers().between(0, 3))
        .as(Schedule::new);
  }

  @Property(tries = 5000, seed = "20261121")
  void bindUnderFaults(@ForAll("schedules") Schedule s) throws IOException {
    run(s, false);
  }

  @Property(tries = 5000, seed = "20261122")
  void releaseUnderFaults(@ForAll("schedules") Schedule s) throws IOException {
    run(s, true);
  }

  private static Path scratch() throws IOException {
    Path shm = Path.of("/dev/shm");
    // tmpfs keeps 10,000 journal fsyncs cheap; the code path is the same as on disk.
    return Files.isDirectory(shm) && Files.isWritable(shm)
        ? Files.createTempDirectory(shm, "pcikit-prop")
        : Files.createTempDirectory("pcikit-prop");
  }

  private void run(Schedule s, boolean release) throws IOException {
    Path root = scratch();
    try {
      TestHost h = new TestHost(root);
      List<DeviceSelector> sel = SETS.get(s.set()).stream().map(DeviceSelector::parse).toList();
      VfioEngine.BindRequest req = new VfioEngine.BindRequest(sel, true, null, false, false);
      if (release) {
        VfioEngine e = h.engine();
        e.execute(e.planBind(req));
      }
      Map<String, String> prior = h.kernel.bindings();
      VfioEngine.Plan plan;
      try (HostLock lock = HostLock.acquire(h.env().runDir(), Duration.ofSeconds(5))) {
        VfioEngine e = h.engine();
        plan = release ? e.planRelease(sel, false) : e.planBind(req);
        List<String> touched =
            plan.transitions().stream().map(t -> t.address().toString()).toList();
        int base = h.kernel.writes();
        switch (s.kind()) {
          case FAIL_WRITE -> h.kernel.failWrite(base + s.at(), s.errno());
          case PROBE_FAILS ->
              h.kernel.probeFails(
                  touched.get(s.victim() % touched.size()), release ? "igb" : "vfio-pci");
          case REMOVE_DEVICE ->
              h.kernel.removeBeforeWrite(base + s.at(), touched.get(s.victim() % touched.size()));
          case CRASH, CRASH_TWICE -> h.kernel.crashAfterWrite(base + s.at());
        }
        boolean crashed = false;
        try {
          e.execute(plan);
        } catch (PcikitException x) {
          // rolled back (or rollback incomplete: journal kept for recover)
        } catch (FakeKernel.Crash x) {
          crashed = true;
        }
        h.kernel.clearFaults();
        if (crashed && s.kind() == Kind.CRASH_TWICE) {
          h.kernel.crashAfterWrite(h.kernel.writes() + s.at2());
          try {
            new VfioEngine(h.env()).recover();
          } catch (FakeKernel.Crash x) {
            // crashed again while recovering
          }
          h.kernel.clearFaults();
        }
        new VfioEngine(h.env()).recover(); // what the next invocation does first
      }
      Map<String, String> now = h.kernel.bindings();
      assertThat(Files.exists(root.resolve("var/lib/pcikit/journal"))).isFalse();
      assertThat(HostLock.isHeld(h.env().runDir())).isFalse();
      boolean allRequested = true;
      boolean allPrior = true;
      for (Transition t : plan.transitions()) {
        String bdf = t.address().toString();
        if (!now.containsKey(bdf)) {
          continue; // removed by the schedule
        }
        String want = new Binding(t.to().driver(), t.to().override()).encode();
        allRequested &= now.get(bdf).equals(want);
        allPrior &= now.get(bdf).equals(prior.get(bdf));
      }
      assertThat(allRequested || allPrior)
          .as("all-or-nothing for %s: prior %s, now %s", s, prior, now)
          .isTrue();
      for (Map.Entry<String, String> e : prior.entrySet()) {
        if (now.containsKey(e.getKey())
            && plan.transitions().stream()
                .noneMatch(t -> t.address().toString().equals(e.getKey()))) {
          assertThat(now.get(e.getKey()))
              .as("untouched device %s", e.getKey())
              .isEqualTo(e.getValue());
        }
      }
    } finally {
      try (Stream<Path> w = Files.walk(root)) {
        w.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
