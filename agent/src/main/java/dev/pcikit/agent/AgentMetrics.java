package dev.pcikit.agent;

import dev.pcikit.core.check.CheckReport;
import dev.pcikit.core.check.Finding;
import dev.pcikit.core.check.Verdict;
import dev.pcikit.core.host.Host;
import dev.pcikit.core.inventory.InventoryReader;
import dev.pcikit.core.vfio.Journal;
import dev.pcikit.core.watch.DeviceState;
import dev.pcikit.core.watch.GroupState;
import dev.pcikit.core.watch.HostState;
import dev.pcikit.core.watch.HostWatcher;
import dev.pcikit.core.watch.StateDiffer;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The agent's Prometheus metrics (official Java client 1.x, a registry of its own per agent). Host
 * gauges are computed at scrape time from the watcher's last {@link HostState} (no sysfs read per
 * scrape); readiness findings are recomputed only when the event sequence moved; VFIO group holders
 * and pending journals are read per scrape (a few small files). Operation histograms and counters
 * are fed by {@link #completed}. docs/agent-events.md lists every metric.
 */
public final class AgentMetrics {
  /** Seconds: sysfs writes of one device take milliseconds, a 128-VF enable seconds. */
  private static final double[] DURATION_BOUNDS = {
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60
  };

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final HostView view;
  private final HostWatcher watcher;
  private final Histogram durations;
  private final Counter operations;
  private final Counter refusals;
  private final Counter failures;
  private long findingsAt = -1;
  private Map<Verdict, Integer> findings = Map.of();

  AgentMetrics(HostView view, HostWatcher watcher) {
    this.view = view;
    this.watcher = watcher;
    durations =
        Histogram.builder()
            .name("pcikit_operation_duration_seconds")
            .help(
                "Duration of the agent's writes that changed the host (not dry runs, not refused or failed)")
            .labelNames("operation")
            .classicOnly()
            .classicUpperBounds(DURATION_BOUNDS)
            .withoutExemplars()
            .register(registry);
    operations =
        Counter.builder()
            .name("pcikit_operations")
            .help(
                "Writes the agent ran, by operation, dry run or not, and outcome (done, refused, failed)")
            .labelNames("operation", "dry_run", "outcome")
            .withoutExemplars()
            .register(registry);
    refusals =
        Counter.builder()
            .name("pcikit_operation_refusals")
            .help("Safety refusals of writes, one per refused device and rule")
            .labelNames("operation", "reason")
            .withoutExemplars()
            .register(registry);
    failures =
        Counter.builder()
            .name("pcikit_operation_failures")
            .help("Writes that failed, by the core's typed failure (INTERNAL for anything else)")
            .labelNames("operation", "failure")
            .withoutExemplars()
            .register(registry);
    hostGauges();
    watchGauges();
  }

  private void hostGauges() {
    GaugeWithCallback.builder()
        .name("pcikit_devices")
        .help(
            "PCI functions by class, driver and state (vfio, host-driver, no-driver, not-responding)")
        .labelNames("class", "driver", "state")
        .callback(
            cb -> {
              Map<List<String>, Integer> n = new TreeMap<>(AgentMetrics::compareLists);
              for (DeviceState d : state().devices().values()) {
                n.merge(
                    List.of(className(d.classCode()), d.driver().orElse("none"), deviceState(d)),
                    1,
                    Integer::sum);
              }
              n.forEach((k, v) -> cb.call(v, k.get(0), k.get(1), k.get(2)));
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name("pcikit_vfio_bound_devices")
        .help("PCI functions bound to vfio-pci or a VFIO variant driver")
        .callback(
            cb ->
                cb.call(
                    state().devices().values().stream().filter(DeviceState::boundToVfio).count()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("pcikit_devices_not_responding")
        .help("PCI functions whose config space reads all ones (gone or frozen)")
        .callback(
            cb -> cb.call(state().devices().values().stream().filter(d -> !d.responding()).count()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("pcikit_iommu_groups")
        .help(
            "IOMMU groups by viability: vfio-viable (a guest can open it), host, mixed (not viable)")
        .labelNames("viability")
        .callback(
            cb -> {
              Map<String, Integer> n = new TreeMap<>();
              for (String k : List.of("vfio-viable", "host", "mixed")) {
                n.put(k, 0);
              }
              for (GroupState g : state().groups().values()) {
                n.merge(StateDiffer.kindName(g.kind()), 1, Integer::sum);
              }
              n.forEach((k, v) -> cb.call(v, k));
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name("pcikit_sriov_vfs")
        .help(
            "Per SR-IOV PF: total VFs, enabled VFs, and free VFs (enabled, on no driver or a VFIO"
                + " one, group not held open by any process)")
        .labelNames("pf", "kind")
        .callback(cb -> sriov(cb))
        .register(registry);
    GaugeWithCallback.builder()
        .name("pcikit_readiness_findings")
        .help("Readiness check findings (host and every endpoint) by severity")
        .labelNames("severity")
        .callback(
            cb -> {
              Map<Verdict, Integer> f = readiness();
              for (Verdict v : Verdict.values()) {
                cb.call(f.getOrDefault(v, 0), v.name().toLowerCase(Locale.ROOT));
              }
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name("pcikit_journal_pending")
        .help(
            "Entries in the write journal by kind (binding, sriov-enable; unreadable: a journal"
                + " that cannot be parsed): a crash left them, or a write runs now")
        .labelNames("entry")
        .callback(
            cb -> {
              long[] n = view.read(AgentMetrics::journal);
              cb.call(n[0], "binding");
              cb.call(n[1], "sriov-enable");
              cb.call(n[2], "unreadable");
            })
        .register(registry);
  }

  private void watchGauges() {
    GaugeWithCallback.builder()
        .name("pcikit_event_sequence")
        .help("Sequence number of the newest event (GET /v1/events)")
        .callback(cb -> cb.call(watcher.log().last()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("pcikit_rescan_duration_seconds")
        .help("Duration of the watcher's last host read")
        .callback(cb -> cb.call(watcher.stats().lastRescan().toNanos() / 1e9))
        .register(registry);
    CounterWithCallback.builder()
        .name("pcikit_rescans")
        .help("Host reads by the watcher (baseline, periodic, after writes, after uevents)")
        .callback(cb -> cb.call(watcher.stats().rescans()))
        .register(registry);
    CounterWithCallback.builder()
        .name("pcikit_uevents")
        .help("PCI kernel uevents heard through udevadm")
        .callback(cb -> cb.call(watcher.stats().uevents()))
        .register(registry);
  }

  private HostState state() {
    return watcher.state();
  }

  private void sriov(GaugeWithCallback.Callback cb) {
    HostState s = state();
    Map<Integer, List<String>> open;
    try {
      open = view.read(AgentMetrics::openGroups);
    } catch (RuntimeException e) {
      open = Map.of(); // usage unreadable: count the VFs as free rather than drop the metric
    }
    for (DeviceState pf : s.devices().values()) {
      if (!pf.isPf()) {
        continue;
      }
      int enabled = 0;
      int free = 0;
      for (DeviceState vf : s.devices().values()) {
        if (!vf.physfn().equals(Optional.of(pf.address()))) {
          continue;
        }
        enabled++;
        boolean onVfioOrNone = vf.driver().isEmpty() || vf.boundToVfio();
        boolean held = vf.iommuGroup().map(open::containsKey).orElse(false);
        if (onVfioOrNone && !held) {
          free++;
        }
      }
      String name = pf.address().toString();
      cb.call(Math.max(0, pf.totalVfs()), name, "total");
      cb.call(enabled, name, "enabled");
      cb.call(free, name, "free");
    }
  }

  /** Pending binding entries, SR-IOV entries, and 1 when the journal cannot be read. */
  private static long[] journal(Host h) {
    try {
      List<Journal.Entry> pending = new Journal(h.layout().stateDir()).read();
      long binding = pending.stream().filter(e -> e instanceof Journal.BindingEntry).count();
      return new long[] {binding, pending.size() - binding, 0};
    } catch (IOException | RuntimeException e) {
      return new long[] {0, 0, 1}; // the next write's recovery says why, with the way out
    }
  }

  private static Map<Integer, List<String>> openGroups(Host h) {
    try {
      return h.usage().openVfioGroups();
    } catch (IOException e) {
      return Map.of();
    }
  }

  /** The findings by verdict, recomputed when an event says the host changed. */
  private synchronized Map<Verdict, Integer> readiness() {
    long seq = watcher.log().last();
    if (seq != findingsAt) {
      CheckReport r =
          view.read(
              h -> {
                var inv = h.inventory(InventoryReader.Detail.FULL);
                return h.checker().run(inv, inv.devices(), false);
              });
      Map<Verdict, Integer> m = new EnumMap<>(Verdict.class);
      for (Finding f : r.all()) {
        m.merge(f.verdict(), 1, Integer::sum);
      }
      findings = m;
      findingsAt = seq;
    }
    return findings;
  }

  /** Counts and times one write (see {@link WriteListener}). */
  void written(String operation, boolean dryRun, Duration took, int status, String failure) {
    String outcome;
    if (status < 400) {
      outcome = "done";
    } else if ("REFUSED".equals(failure)) {
      outcome = "refused";
    } else {
      outcome = "failed";
      failures.labelValues(operation, failure == null ? "HTTP_" + status : failure).inc();
    }
    operations.labelValues(operation, Boolean.toString(dryRun), outcome).inc();
    if (!dryRun && status < 400) {
      durations.labelValues(operation).observe(took.toNanos() / 1e9);
    }
  }

  /** Counts a refusal's rules (MOUNTED, GROUP_NOT_VIABLE...), one per refused device and rule. */
  void refused(String operation, List<String> rules) {
    for (String r : rules) {
      refusals.labelValues(operation, r.toLowerCase(Locale.ROOT)).inc();
    }
  }

  /** The metrics in the Prometheus text format (version 0.0.4). */
  public Reply scrape() throws IOException {
    ExpositionFormatWriter w = PrometheusTextFormatWriter.create();
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
    w.write(out, registry.scrape());
    // the handler adds "; charset=utf-8" to text types
    return new Reply(200, "text/plain; version=0.0.4", out.toByteArray());
  }

  /** PCI base class names (PCI Code and ID Assignment Specification, section 1). */
  static String className(int classCode) {
    if (classCode < 0) {
      return "unknown";
    }
    return switch (classCode >> 16) {
      case 0x00 -> "unclassified";
      case 0x01 -> "storage";
      case 0x02 -> "network";
      case 0x03 -> "display";
      case 0x04 -> "multimedia";
      case 0x05 -> "memory";
      case 0x06 -> "bridge";
      case 0x07 -> "communication";
      case 0x08 -> "system";
      case 0x09 -> "input";
      case 0x0a -> "docking";
      case 0x0b -> "processor";
      case 0x0c -> "serial-bus";
      case 0x0d -> "wireless";
      case 0x0e -> "intelligent-io";
      case 0x0f -> "satellite";
      case 0x10 -> "crypto";
      case 0x11 -> "signal-processing";
      case 0x12 -> "accelerator";
      case 0x13 -> "instrumentation";
      case 0xff -> "unassigned";
      default -> "other";
    };
  }

  private static String deviceState(DeviceState d) {
    if (!d.responding()) {
      return "not-responding";
    }
    if (d.boundToVfio()) {
      return "vfio";
    }
    return d.driver().isPresent() ? "host-driver" : "no-driver";
  }

  private static int compareLists(List<String> a, List<String> b) {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      int c = a.get(i).compareTo(b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }
}
