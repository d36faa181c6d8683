package dev.pcikit.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class MigrationsTest {

  @Test
  void upgradesAV1DatabaseWithDataToTheLatestSchemaKeepingTheData() throws Exception {
    try (Connection c = PostgresExtension.connect(PostgresExtension.newDatabase())) {
      assertThat(Migrations.migrate(c, 1)).containsExactly(1);
      assertThat(Migrations.current(c)).isEqualTo(1);
      try (Statement st = c.createStatement()) {
        st.execute("INSERT INTO hosts (name, address, last_seq) VALUES ('h1', 'unix:/x', 42)");
        st.execute(
            "INSERT INTO devices (host, fingerprint, bdf, vendor, device, numa_node, free_vfs,"
                + " doc, doc_hash) VALUES ('h1', 'path=p', '0000:17:00.0', 32902, 5522, 0, 3,"
                + " '{}', 'x')");
      }
      List<Integer> applied = Migrations.migrate(c);
      assertThat(applied).containsExactly(2, 3, 4, 5);
      assertThat(Migrations.current(c)).isEqualTo(Migrations.latest());
      try (Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT h.last_seq, h.owner, d.free_vfs FROM hosts h JOIN devices d ON"
                      + " d.host = h.name")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong(1)).isEqualTo(42);
        assertThat(rs.getString(2)).isNull();
        assertThat(rs.getInt(3)).isEqualTo(3);
      }
      // a second run applies nothing
      assertThat(Migrations.migrate(c)).isEmpty();
    }
  }

  @Test
  void refusesADatabaseFromANewerPcikit() throws Exception {
    try (Connection c = PostgresExtension.connect(PostgresExtension.newDatabase())) {
      Migrations.migrate(c);
      try (Statement st = c.createStatement()) {
        st.execute(
            "INSERT INTO fleet_schema (version, script, sha256) VALUES (99, 'V99__future.sql',"
                + " 'x')");
      }
      assertThatThrownBy(() -> Migrations.migrate(c))
          .isInstanceOf(FleetException.class)
          .hasMessageContaining("schema version 99");
    }
  }

  @Test
  void refusesAnAppliedMigrationThatWasEdited() throws Exception {
    try (Connection c = PostgresExtension.connect(PostgresExtension.newDatabase())) {
      Migrations.migrate(c);
      try (Statement st = c.createStatement()) {
        st.execute("UPDATE fleet_schema SET sha256 = 'edited' WHERE version = 2");
      }
      assertThatThrownBy(() -> Migrations.migrate(c))
          .isInstanceOf(FleetException.class)
          .hasMessageContaining("schema version 2");
    }
  }
}
