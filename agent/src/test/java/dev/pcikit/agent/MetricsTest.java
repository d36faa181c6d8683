package dev.pcikit.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.http.unix.UnixHttp;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GET /metrics on demo hosts: the host gauges, and the operation metrics after API writes. */
class MetricsTest {
  static final String NIC = "0000:03:00.0";

  @TempDir Path dir;

  /** The samples of a Prometheus text exposition: series (name and labels) to value. */
  static Map<String, Double> samples(String text) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int sp = line.lastIndexOf(' ');
      m.put(line.substring(0, sp), Double.parseDouble(line.substring(sp + 1)));
    }
    return m;
  }

  static Map<String, Double> scrape(DemoAgent a) throws Exception {
    UnixHttp.Answer r = a.api.get("/metrics");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.contentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
    return samples(r.text());
  }

  @Test
  void hostGaugesThenABindAndARefusal() throws Exception {
    try (DemoAgent a = DemoAgent.start("demo:x86-workstation", dir)) {
      Map<String, Double> m = scrape(a);
      assertThat(m)
          .containsEntry("pcikit_vfio_bound_devices", 0.0)
          .containsEntry(
              "pcikit_devices{class=\"network\",driver=\"igb\",state=\"host-driver\"}", 1.0)
          .containsEntry("pcikit_devices_not_responding", 0.0)
          .containsEntry("pcikit_event_sequence", 0.0)
          .containsEntry("pcikit_journal_pending{entry=\"binding\"}", 0.0)
          .containsEntry("pcikit_journal_pending{entry=\"unreadable\"}", 0.0)
          .containsEntry("pcikit_iommu_groups{viability=\"vfio-viable\"}", 0.0)
          .containsKey("pcikit_rescan_duration_seconds")
          .containsKey("pcikit_readiness_findings{severity=\"blocking\"}");
      assertThat(m.get("pcikit_readiness_findings{severity=\"ok\"}")).isPositive();
      double devices =
          m.entrySet().stream()
              .filter(e -> e.getKey().startsWith("pcikit_devices{"))
              .mapToDouble(Map.Entry::getValue)
              .sum();
      assertThat(devices).isEqualTo(14); // every function of the workstation, once

      UnixHttp.Answer bind =
          a.api.finish(a.api.post("/v1/bind", "{\"devices\":[\"" + NIC + "\"]}"));
      assertThat(bind.status()).as(bind.text()).isEqualTo(200);
      EventsApiTest.awaitSeq(a, 2);
      UnixHttp.Answer refused =
          a.api.post("/v1/bind", "{\"devices\":[\"0000:01:00.0\"],\"group\":true}");
      assertThat(refused.status()).isEqualTo(409);

      m = scrape(a);
      assertThat(m)
          .containsEntry("pcikit_vfio_bound_devices", 1.0)
          .containsEntry(
              "pcikit_devices{class=\"network\",driver=\"vfio-pci\",state=\"vfio\"}", 1.0)
          .containsEntry("pcikit_iommu_groups{viability=\"vfio-viable\"}", 1.0)
          .containsEntry("pcikit_event_sequence", 2.0)
          .containsEntry("pcikit_operation_duration_seconds_count{operation=\"bind\"}", 1.0)
          .containsEntry(
              "pcikit_operations_total{dry_run=\"false\",operation=\"bind\",outcome=\"done\"}", 1.0)
          .containsEntry(
              "pcikit_operations_total{dry_run=\"false\",operation=\"bind\",outcome=\"refused\"}",
              1.0)
          .containsEntry(
              "pcikit_operation_refusals_total{operation=\"bind\",reason=\"boot_vga\"}", 1.0)
          .doesNotContainKey(
              "pcikit_devices{class=\"network\",driver=\"igb\",state=\"host-driver\"}");
      assertThat(m.get("pcikit_operation_duration_seconds_sum{operation=\"bind\"}")).isPositive();
      assertThat(m.get("pcikit_rescans_total")).isGreaterThanOrEqualTo(2);
    }
  }

  @Test
  void sriovPoolsOnTheNicFarm() throws Exception {
    try (DemoAgent a = DemoAgent.start("demo:nic-farm", dir)) {
      Map<String, Double> m = scrape(a);
      for (String pf :
          new String[] {"0000:17:00.0", "0000:27:00.0", "0000:37:00.0", "0000:47:00.0"}) {
        assertThat(m)
            .containsEntry("pcikit_sriov_vfs{kind=\"total\",pf=\"" + pf + "\"}", 128.0)
            .containsEntry("pcikit_sriov_vfs{kind=\"enabled\",pf=\"" + pf + "\"}", 128.0)
            .containsEntry("pcikit_sriov_vfs{kind=\"free\",pf=\"" + pf + "\"}", 128.0);
      }
      // VFs for the host: enabled, taken by the host's VF driver, so none free
      String pf = "0000:27:00.0";
      UnixHttp.Answer off = a.api.finish(a.api.post("/v1/sriov/" + pf + "/disable", "{}"));
      assertThat(off.status()).as(off.text()).isEqualTo(200);
      UnixHttp.Answer on =
          a.api.finish(a.api.post("/v1/sriov/" + pf + "/enable", "{\"vfs\":4,\"for\":\"host\"}"));
      assertThat(on.status()).as(on.text()).isEqualTo(200);
      // 128 removals and the PF's count, then the PF's count, 4 additions and their groups
      EventsApiTest.awaitSeq(a, 1 + 128 + 1 + 4);
      m = scrape(a);
      assertThat(m)
          .containsEntry("pcikit_sriov_vfs{kind=\"total\",pf=\"" + pf + "\"}", 128.0)
          .containsEntry("pcikit_sriov_vfs{kind=\"enabled\",pf=\"" + pf + "\"}", 4.0)
          .containsEntry("pcikit_sriov_vfs{kind=\"free\",pf=\"" + pf + "\"}", 0.0)
          .containsEntry(
              "pcikit_operation_duration_seconds_count{operation=\"sriov-disable\"}", 1.0)
          .containsEntry(
              "pcikit_operation_duration_seconds_count{operation=\"sriov-enable\"}", 1.0);
    }
  }
}
