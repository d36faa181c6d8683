package dev.pcikit.agent;

/** What a route needs from its caller. */
public enum Access {
  /** Reads: any socket peer; a read or admin token on TCP. */
  READ,
  /** Writes: an admin (root or the agent's own user on the socket, or an admin token). */
  ADMIN
}
