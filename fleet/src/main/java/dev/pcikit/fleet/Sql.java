package dev.pcikit.fleet;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** Runs one JDBC statement with its parameters bound in order. */
final class Sql {
  private Sql() {}

  /**
   * Runs an INSERT, UPDATE or DELETE.
   *
   * @param params Strings (null: SQL NULL, as {@code setString} sends it), Longs or Integers
   * @return the number of rows it touched
   */
  static int update(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        Object p = params[i];
        if (p == null || p instanceof String) {
          ps.setString(i + 1, (String) p);
        } else if (p instanceof Long l) {
          ps.setLong(i + 1, l);
        } else if (p instanceof Integer n) {
          ps.setInt(i + 1, n);
        } else {
          throw new IllegalArgumentException("no binding for " + p.getClass());
        }
      }
      return ps.executeUpdate();
    }
  }
}
