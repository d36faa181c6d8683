package dev.pcikit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.core.host.LockedHost;
import dev.pcikit.core.model.PciAddress;
import dev.pcikit.core.vfio.VfioEngine;
import dev.pcikit.core.watch.Event;
import dev.pcikit.core.watch.EventLog;
import dev.pcikit.core.watch.EventType;
import dev.pcikit.core.watch.HostReads;
import dev.pcikit.core.watch.HostState;
import dev.pcikit.core.watch.HostWatcher;
import dev.pcikit.core.watch.StateScanner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The watcher on simulated hosts: writes through the engine become the right events. */
class HostWatcherTest {
  static final PciAddress NIC = PciAddress.parse("0000:03:00.0");
  static final PciAddress PF = PciAddress.parse("0000:17:00.0");

  @TempDir Path tmp;

  HostWatcher.Options quiet() {
    // the periodic rescan is not what these tests exercise: far enough apart never to run
    return new HostWatcher.Options(Duration.ofHours(1), Duration.ZERO, true, Optional.empty());
  }

  Map<String, String> env() {
    return Map.of("PCIKIT_STATE_DIR", tmp.toString());
  }

  @Test
  void aBindThroughTheEngineIsADriverChangeAndAViableGroup() throws Exception {
    SimulatedHost host = SimulatedHost.open("demo:x86-workstation", env());
    EventLog log = new EventLog();
    try (HostWatcher w = HostWatcher.start(HostReads.of(host), log, quiet())) {
      assertThat(log.last()).isZero(); // the baseline makes no events
      String fp = w.state().device(NIC).flatMap(d -> d.fingerprint()).orElseThrow();
      try (LockedHost locked = host.lock(Duration.ofSeconds(5))) {
        VfioEngine e = locked.vfio();
        e.execute(
            e.planBind(
                new VfioEngine.BindRequest(
                    VfioEngine.exactly(List.of(NIC)), false, null, false, false)));
      }
      List<Event> events = w.rescan();
      assertThat(events)
          .extracting(Event::type)
          .containsExactly(EventType.DRIVER_CHANGED, EventType.GROUP_VIABILITY_CHANGED);
      assertThat(events).extracting(Event::seq).containsExactly(1L, 2L);
      assertThat(events.get(0).change().address()).isEqualTo(NIC);
      assertThat(events.get(0).change().fingerprint()).hasValue(fp);
      assertThat(events.get(0).change().details())
          .containsEntry("from", "igb")
          .containsEntry("to", "vfio-pci");
      assertThat(events.get(1).change().details())
          .containsEntry("from", "host")
          .containsEntry("to", "vfio-viable");
      assertThat(w.rescan()).isEmpty(); // nothing new: nothing logged

      try (LockedHost locked = host.lock(Duration.ofSeconds(5))) {
        VfioEngine e = locked.vfio();
        e.execute(e.planRelease(VfioEngine.exactly(List.of(NIC)), false));
      }
      // queued on the watcher's thread: the writer does not wait, the events follow
      long before = log.last();
      w.rescanSoon();
      assertThat(log.awaitAfter(before, Duration.ofSeconds(60))).isTrue();
      while (log.last() < before + 2) {
        assertThat(log.awaitAfter(log.last(), Duration.ofSeconds(60))).isTrue();
      }
      assertThat(log.since(before, 10).events())
          .extracting(e -> e.type().wire())
          .containsExactly("driver-changed", "group-viability-changed");
    }
  }

  @Test
  void sriovDisableAndEnableAreVfsChangesWithTheVfsRemovedAndAdded() throws Exception {
    SimulatedHost host = SimulatedHost.open("demo:nic-farm", env());
    EventLog log = new EventLog(1024);
    try (HostWatcher w = HostWatcher.start(HostReads.of(host), log, quiet())) {
      int before = w.state().devices().size();
      try (LockedHost locked = host.lock(Duration.ofSeconds(5))) {
        locked.sriov().disable(PF, false);
      }
      List<Event> off = w.rescan();
      assertThat(off.stream().filter(e -> e.type() == EventType.DEVICE_REMOVED)).hasSize(128);
      assertThat(off.stream().filter(e -> e.type() == EventType.VFS_CHANGED).toList())
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.change().address()).isEqualTo(PF);
                assertThat(e.change().details()).containsEntry("from", 128).containsEntry("to", 0);
              });
      assertThat(off).allSatisfy(e -> assertThat(e.change().fingerprint()).isPresent());
      try (LockedHost locked = host.lock(Duration.ofSeconds(5))) {
        locked.sriov().enable(PF, 4, true, null);
      }
      List<Event> on = w.rescan();
      // the PF's count first (it sits below its VFs), then the VFs, then their new groups
      assertThat(on.get(0).type()).isEqualTo(EventType.VFS_CHANGED);
      assertThat(on.get(0).change().details()).containsEntry("from", 0).containsEntry("to", 4);
      assertThat(on.subList(1, 5))
          .allSatisfy(
              e -> {
                assertThat(e.type()).isEqualTo(EventType.DEVICE_ADDED);
                assertThat(e.change().details())
                    .containsEntry("physfn", PF.toString())
                    .containsEntry("driver", "vfio-pci");
              });
      assertThat(on.subList(5, on.size()))
          .extracting(Event::type)
          .containsOnly(EventType.GROUP_VIABILITY_CHANGED);
      assertThat(w.state().devices()).hasSize(before - 124);
      assertThat(log.last()).isEqualTo(off.size() + on.size());
    }
  }

  @Test
  void aFrozenPeAndASurpriseRemovalAreSeen() throws Exception {
    SimulatedHost host = SimulatedHost.open("demo:power9", env());
    EventLog log = new EventLog();
    try (HostWatcher w = HostWatcher.start(HostReads.of(host), log, quiet())) {
      host.kernel().freezePe(3);
      assertThat(w.rescan(List.of(PciAddress.parse("0001:01:00.0"))))
          .extracting(e -> e.type().wire() + " " + e.change().address())
          .containsExactly("device-not-responding 0001:01:00.0");
      host.kernel().surpriseRemove("0030:01:00.0");
      assertThat(w.rescan())
          .extracting(e -> e.type().wire() + " " + e.change().address())
          .containsExactly("device-removed 0030:01:00.0");
    }
  }

  @Test
  void aTargetedRescanReadsWhatAFullOneReads() throws Exception {
    SimulatedHost host = SimulatedHost.open("demo:nic-farm", env());
    StateScanner scanner = new StateScanner(true, Clock.systemUTC());
    HostState before = scanner.full(host);
    try (LockedHost locked = host.lock(Duration.ofSeconds(5))) {
      locked.sriov().disable(PF, false);
      locked.sriov().enable(PF, 3, false, null);
    }
    // the uevents of an SR-IOV change name the PF and its VFs; the PF alone must be enough
    HostState targeted = scanner.targeted(host, before, List.of(PF));
    HostState full = new StateScanner(true, Clock.systemUTC()).full(host);
    assertThat(targeted.devices()).isEqualTo(full.devices());
    assertThat(targeted.groups()).isEqualTo(full.groups());
  }

  @Test
  void thePeriodicRescanSeesAWriteAnotherProcessSaved() throws Exception {
    EventLog log = new EventLog();
    HostWatcher.Options o = quiet().withInterval(Duration.ofMillis(50));
    try (HostWatcher w =
        HostWatcher.start(
            scan -> scan.apply(SimulatedHost.open("demo:x86-workstation", env())), log, o)) {
      // "the CLI": another SimulatedHost object on the same state file
      SimulatedHost cli = SimulatedHost.open("demo:x86-workstation", env());
      try (LockedHost locked = cli.lock(Duration.ofSeconds(5))) {
        VfioEngine e = locked.vfio();
        e.execute(
            e.planBind(
                new VfioEngine.BindRequest(
                    VfioEngine.exactly(List.of(NIC)), false, null, false, false)));
      }
      assertThat(Files.exists(HostSession.demoStateFile("x86-workstation", env()))).isTrue();
      assertThat(log.awaitAfter(0, Duration.ofSeconds(60))).isTrue();
      assertThat(log.since(0, 10).events().get(0).type()).isEqualTo(EventType.DRIVER_CHANGED);
    }
  }
}
