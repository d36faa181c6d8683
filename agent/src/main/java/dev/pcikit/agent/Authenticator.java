package dev.pcikit.agent;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.Optional;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;

/**
 * Who a request comes from (docs/security.md):
 *
 * <ul>
 *   <li>{@code Authorization: Bearer TOKEN}: the token's name and role; a token that matches none
 *       is refused (401), on the socket too.
 *   <li>No token, on the Unix domain socket: the peer's user from the kernel ({@code SO_PEERCRED},
 *       unix(7)); root or the agent's own user is {@code admin}, anyone else who can open the
 *       socket (mode 0660: its group) is {@code read}.
 *   <li>No token on TCP: no role (401 on every route).
 * </ul>
 */
final class Authenticator {
  private final Tokens tokens;
  private final String agentUser = System.getProperty("user.name");

  Authenticator(Tokens tokens) {
    this.tokens = tokens;
  }

  /** The caller, or empty when a presented token is not valid. */
  Optional<Caller> caller(Request request) {
    String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
    if (auth != null) {
      // RFC 6750 section 2.1: "Bearer" is case-insensitive, one space, then the token
      if (auth.length() < 7 || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
        return Optional.empty();
      }
      return tokens.check(auth.substring(7).strip());
    }
    if (request.getConnectionMetaData().getConnector() instanceof UnixDomainServerConnector) {
      Optional<String> user = peerUser(request);
      if (user.isEmpty()) {
        return Optional.of(new Caller("uid:unknown", Caller.Role.READ));
      }
      String u = user.get();
      boolean admin = u.equals("root") || u.equals("0") || u.equals(agentUser);
      return Optional.of(new Caller("uid:" + u, admin ? Caller.Role.ADMIN : Caller.Role.READ));
    }
    return Optional.of(new Caller("anonymous", Caller.Role.NONE));
  }

  /** The socket peer's user name as the kernel reports it (the uid when it has no name). */
  static Optional<String> peerUser(Request request) {
    EndPoint ep = request.getConnectionMetaData().getConnection().getEndPoint();
    if (ep instanceof SocketChannelEndPoint s) {
      SocketChannel ch = s.getChannel();
      try {
        UnixDomainPrincipal p = ch.getOption(ExtendedSocketOptions.SO_PEERCRED);
        return Optional.of(p.user().getName());
      } catch (IOException | UnsupportedOperationException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }
}
