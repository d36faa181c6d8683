package dev.pcikit.agent;

/**
 * Who sent a request: a bearer token's name, or the Unix domain socket peer's user (SO_PEERCRED, as
 * the kernel reports it; see docs/security.md), and the role that grants.
 *
 * @param who what the audit log records: {@code token:NAME} or {@code uid:USER}
 * @param role what the caller may do
 */
public record Caller(String who, Role role) {

  /** The two roles of the token file; {@link #NONE} for an unauthenticated TCP client. */
  public enum Role {
    NONE,
    READ,
    ADMIN;

    public boolean allows(Role needed) {
      return compareTo(needed) >= 0;
    }
  }
}
