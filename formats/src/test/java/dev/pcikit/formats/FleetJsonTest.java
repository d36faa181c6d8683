package dev.pcikit.formats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.fleet.FleetQueries;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** The fleet documents: what the database does not know is null, IDs hex, times UTC instants. */
class FleetJsonTest {
  private static final OffsetDateTime AT = OffsetDateTime.parse("2026-12-01T11:00:00.5+01:00");

  @Test
  void aFunctionWithUnknownFieldsHasNullsNotMissingFields() {
    FleetQueries.Found known =
        new FleetQueries.Found(
            "ws",
            "answering",
            "0000:03:00.0",
            "fp1",
            0x10de,
            0x2204,
            0x030000,
            "NVIDIA",
            "GA102",
            "vfio-pci",
            0,
            14,
            "vfio-viable",
            "pf",
            4,
            2,
            1,
            List.of("vm1"),
            false);
    FleetQueries.Found unknown =
        new FleetQueries.Found(
            "ws",
            "unreachable",
            "0000:04:00.0",
            "fp2",
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            List.of(),
            true);
    ObjectNode doc = FleetJson.devices(List.of(known, unknown));

    assertThat(doc.get("schema").asString()).isEqualTo("pcikit/fleet-devices/v1");
    assertThat(Documents.text(doc, DocumentFormat.JSON))
        .contains("\"vendor\" : \"10de\",\n    \"device\" : \"2204\",\n    \"class\" : \"030000\"");
    ObjectNode u = (ObjectNode) doc.get("devices").get(1);
    assertThat(u.propertyNames())
        .containsExactly(
            "host",
            "hostState",
            "bdf",
            "fingerprint",
            "vendor",
            "device",
            "class",
            "vendorName",
            "deviceName",
            "driver",
            "numaNode",
            "iommuGroup",
            "groupStatus",
            "sriovRole",
            "totalVfs",
            "numVfs",
            "freeVfs",
            "heldBy",
            "notResponding");
    for (String f : List.of("vendor", "class", "numaNode", "iommuGroup", "freeVfs")) {
      assertThat(u.get(f).isNull()).as(f).isTrue();
    }
    assertThat(doc.get("devices").get(0).get("numaNode").intValue()).isZero();
  }

  @Test
  void historyTimesAreInstantsAndAnUnnumberedEntryHasANullSeq() {
    ObjectNode doc =
        FleetJson.history(
            List.of(
                new FleetQueries.HistoryRow(
                    "ws", AT, null, "seen", "changed", "fp1", null, "{\"driver\":\"vfio-pci\"}"),
                new FleetQueries.HistoryRow(
                    "ws", AT, 7L, "event", "bound", "fp1", "0000:03:00.0", "{}")));
    assertThat(doc.get("history").get(0).get("time").asString())
        .isEqualTo("2026-12-01T10:00:00.500Z");
    assertThat(doc.get("history").get(0).get("seq").isNull()).isTrue();
    assertThat(doc.get("history").get(1).get("seq").longValue()).isEqualTo(7);
    assertThat(doc.get("history").get(0).get("details").get("driver").asString())
        .isEqualTo("vfio-pci");
  }

  @Test
  void aHostNeverSeenHasNullTimes() {
    ObjectNode doc =
        FleetJson.hosts(
            List.of(
                new FleetQueries.HostRow(
                    "ws",
                    "unix:/run/a.sock",
                    "unreachable",
                    AT,
                    null,
                    0,
                    null,
                    null,
                    0,
                    "refused")));
    ObjectNode h = (ObjectNode) doc.get("hosts").get(0);
    assertThat(h.get("stateSince").asString()).isEqualTo("2026-12-01T10:00:00.500Z");
    assertThat(h.get("lastSeen").isNull()).isTrue();
    assertThat(h.get("collector").isNull()).isTrue();
  }
}
