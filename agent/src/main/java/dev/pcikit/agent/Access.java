package dev.pcikit.agent;

/** What a route needs from its caller. */
public enum Access {
  /**
   * No caller needed: the web page's static files, which carry no host data (a browser on the TCP
   * listener must load the page before it can send a token; the page's API calls send it).
   */
  PUBLIC,
  /** Reads: any socket peer; a read or admin token on TCP. */
  READ,
  /** Writes: an admin (root or the agent's own user on the socket, or an admin token). */
  ADMIN
}
