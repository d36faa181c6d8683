package dev.pcikit.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.node.ObjectNode;

@ExtendWith(PostgresExtension.class)
class LoaderTest {
  private Connection c;

  @BeforeEach
  void db() throws Exception {
    c = PostgresExtension.connect(PostgresExtension.newDatabase());
    Migrations.migrate(c);
    Loader.ensureHost(c, "ws", "unix:/run/ws.sock");
  }

  @Test
  void aSnapshotStoresEveryFunctionKeyedByFingerprint() throws Exception {
    List<DeviceRow> rows = InventoryDoc.parse(Fixtures.bytes("x86-workstation"));
    Loader.Result r = Loader.apply(c, "ws", rows, List.of(), 0);
    assertThat(r.added()).isEqualTo(14);
    assertThat(count("SELECT count(*) FROM devices WHERE host = 'ws'")).isEqualTo(14);
    // the key is core's Fingerprint.identity() of the function, as the agent's events carry it
    String identity =
        new dev.pcikit.core.identity.FingerprintReader(
                dev.pcikit.sim.SimulatedHost.open("demo:x86-workstation").sysfs())
            .read(dev.pcikit.core.model.PciAddress.parse("0000:03:00.0"))
            .fingerprint()
            .identity();
    assertThat(text("SELECT fingerprint FROM devices WHERE bdf = '0000:03:00.0'"))
        .isEqualTo(identity);
    assertThat(text("SELECT state FROM hosts WHERE name = 'ws'")).isEqualTo("answering");
    // the group of the GPU holds a host driver: host-owned, not vfio-viable
    assertThat(text("SELECT group_status FROM devices WHERE bdf = '0000:01:00.0'"))
        .isEqualTo("host");
    // a first snapshot is one history row, not one per function
    assertThat(count("SELECT count(*) FROM history")).isEqualTo(1);
  }

  @Test
  void eventsAreStoredOnceAndTheStateFollowsTheDocument() throws Exception {
    Loader.apply(c, "ws", InventoryDoc.parse(Fixtures.bytes("x86-workstation")), List.of(), 5);
    ObjectNode doc = Fixtures.doc("x86-workstation");
    Fixtures.device(doc, "0000:03:00.0").put("driver", "vfio-pci");
    List<DeviceRow> after = InventoryDoc.rows(doc);
    List<AgentEvent> events = List.of(event(6, "0000:03:00.0"), event(7, "0000:03:00.0"));

    Loader.Result r = Loader.apply(c, "ws", after, events, 0);
    assertThat(r.events()).isEqualTo(2);
    assertThat(r.changed()).isEqualTo(1);
    assertThat(text("SELECT driver FROM devices WHERE bdf = '0000:03:00.0'")).isEqualTo("vfio-pci");
    assertThat(text("SELECT group_status FROM devices WHERE bdf = '0000:03:00.0'"))
        .isEqualTo("vfio-viable");
    assertThat(count("SELECT last_seq FROM hosts")).isEqualTo(7);

    // the same page again (a collector resuming after the database came back): nothing new
    List<AgentEvent> replay = new ArrayList<>(events);
    replay.add(event(8, "0000:03:00.0"));
    Loader.Result again = Loader.apply(c, "ws", after, replay, 0);
    assertThat(again.events()).isEqualTo(1);
    assertThat(again.changed()).isZero();
    assertThat(count("SELECT count(*) FROM history WHERE source = 'event'")).isEqualTo(3);
    assertThat(count("SELECT count(*) FROM history WHERE kind = 'changed'")).isEqualTo(1);
    assertThat(text("SELECT details->'driver'->>'to' FROM history WHERE kind = 'changed'"))
        .isEqualTo("vfio-pci");
    assertThat(count("SELECT seq FROM history WHERE kind = 'changed'")).isEqualTo(7);
  }

  @Test
  void aRestartedAgentStartsANewEpochItsEventsAreNotTakenForOldOnes() throws Exception {
    List<DeviceRow> rows = InventoryDoc.parse(Fixtures.bytes("x86-workstation"));
    Loader.apply(c, "ws", rows, List.of(event(1, "a"), event(2, "b"), event(3, "c")), 0);
    // the agent restarted: its numbering begins again at 1
    Loader.apply(c, "ws", rows, List.of(event(1, "d"), event(2, "e")), 0, null, true);
    assertThat(count("SELECT count(*) FROM history WHERE source = 'event'")).isEqualTo(5);
    assertThat(count("SELECT last_seq FROM hosts")).isEqualTo(2);
    assertThat(count("SELECT epoch FROM hosts")).isEqualTo(1);
    // replayed in the new epoch: still once
    Loader.apply(c, "ws", rows, List.of(event(2, "e"), event(3, "f")), 0);
    assertThat(count("SELECT count(*) FROM history WHERE source = 'event'")).isEqualTo(6);
  }

  @Test
  void aFunctionThatDisappearsIsRemovedWithHistory() throws Exception {
    Loader.apply(c, "ws", InventoryDoc.parse(Fixtures.bytes("x86-workstation")), List.of(), 0);
    ObjectNode doc = Fixtures.doc("x86-workstation");
    var devices = (tools.jackson.databind.node.ArrayNode) doc.get("devices");
    devices.remove(devices.size() - 1); // 0000:03:00.0
    Loader.Result r = Loader.apply(c, "ws", InventoryDoc.rows(doc), List.of(), 0);
    assertThat(r.removed()).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM devices")).isEqualTo(13);
    assertThat(text("SELECT bdf FROM history WHERE kind = 'device-removed'"))
        .isEqualTo("0000:03:00.0");
  }

  @Test
  void nicFarmFreeVfsAreCountedOnThePf() throws Exception {
    Loader.ensureHost(c, "farm", "unix:/farm.sock");
    ObjectNode doc = Fixtures.doc("nic-farm");
    // a guest whose name needs quoting in a text[] and escaping in COPY's text format
    ObjectNode holder = Fixtures.device(doc, "0000:17:01.0").putArray("heldBy").addObject();
    holder.put("pid", 4242);
    holder.put("comm", "qemu-system-x86");
    holder.put("domain", "vm \"a\",b\\\tc");
    Fixtures.device(doc, "0000:17:01.0").put("driver", "vfio-pci");
    Loader.apply(c, "farm", InventoryDoc.rows(doc), List.of(), 0);
    assertThat(text("SELECT held_by[1] FROM devices WHERE bdf = '0000:17:01.0'"))
        .isEqualTo("vm \"a\",b\\\tc");
    assertThat(text("SELECT doc->'heldBy'->0->>'domain' FROM devices WHERE bdf = '0000:17:01.0'"))
        .isEqualTo("vm \"a\",b\\\tc");
    assertThat(count("SELECT free_vfs FROM devices WHERE bdf = '0000:17:00.0'")).isEqualTo(127);
    Loader.apply(c, "farm", InventoryDoc.parse(Fixtures.bytes("nic-farm")), List.of(), 0);
    assertThat(count("SELECT count(*) FROM devices WHERE host = 'farm'")).isEqualTo(521);
    assertThat(count("SELECT free_vfs FROM devices WHERE bdf = '0000:17:00.0'")).isEqualTo(128);
    assertThat(
            count(
                "SELECT count(*) FROM devices v JOIN devices p ON p.host = v.host AND"
                    + " p.fingerprint = v.pf_fingerprint WHERE v.host = 'farm'"))
        .isEqualTo(512);
  }

  @Test
  void aMalformedDocumentStoresNothing() throws Exception {
    assertThatThrownBy(() -> InventoryDoc.parse("{\"schema\":\"pcikit/groups/v1\"}".getBytes()))
        .isInstanceOf(FleetException.class)
        .hasMessageContaining("not a pcikit/inventory/v1 document");
    assertThatThrownBy(() -> InventoryDoc.parse("{\"schema\":".getBytes()))
        .isInstanceOf(FleetException.class)
        .hasMessageContaining("not JSON");
    ObjectNode doc = Fixtures.doc("x86-workstation");
    Fixtures.device(doc, "0000:03:00.0").put("vendor", "zz");
    assertThatThrownBy(() -> InventoryDoc.rows(doc)).hasMessageContaining("not hexadecimal");
    assertThat(count("SELECT count(*) FROM devices")).isZero();
  }

  @Test
  void anUnknownHostIsRefusedAndNothingIsWritten() {
    assertThatThrownBy(
            () ->
                Loader.apply(
                    c,
                    "nope",
                    InventoryDoc.parse(Fixtures.bytes("x86-workstation")),
                    List.of(event(1, "0000:03:00.0")),
                    0))
        .isInstanceOf(FleetException.class)
        .hasMessageContaining("no host nope");
  }

  private static AgentEvent event(long seq, String bdf) {
    return new AgentEvent(seq, OffsetDateTime.now(), "driver-changed", bdf, null, "{}");
  }

  private long count(String sql) throws Exception {
    try (PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private String text(String sql) throws Exception {
    try (PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getString(1);
    }
  }
}
