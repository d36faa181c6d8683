/**
 * A small HTTP/1.1 client for talking to a pcikit agent: over its Unix domain socket (the JDK's
 * {@code java.net.http.HttpClient} speaks TCP only) or over TCP with TLS and a bearer token. JDK
 * only, so that the fleet, tests and embedders need no server library to call an agent. See {@link
 * dev.pcikit.http.unix.UnixHttp}.
 */
module dev.pcikit.http.unix {
  exports dev.pcikit.http.unix;
}
