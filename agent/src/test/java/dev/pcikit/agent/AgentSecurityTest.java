package dev.pcikit.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pcikit.core.error.PcikitException;
import dev.pcikit.http.unix.UnixHttp;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TCP listener: TLS from PEM files made here (keytool, then written out as PEM), bearer tokens
 * with two roles, constant-time checks, and the audit log naming the token, never containing it.
 */
class AgentSecurityTest {
  @TempDir Path dir;

  static final String READ_TOKEN = "r".repeat(20) + "0123456789abcdef";
  static final String ADMIN_TOKEN = "a".repeat(20) + "fedcba9876543210";

  Path tokens() throws Exception {
    Path t = dir.resolve("tokens");
    Files.writeString(
        t, "# name role token\nmonitor read " + READ_TOKEN + "\nops admin " + ADMIN_TOKEN + "\n");
    Files.setPosixFilePermissions(t, PosixFilePermissions.fromString("rw-------"));
    return t;
  }

  /** A self-signed certificate for 127.0.0.1 and its key, as PEM files. */
  Path[] pem() throws Exception {
    Path ks = dir.resolve("tls.p12");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    Process p =
        new ProcessBuilder(
                keytool,
                "-genkeypair",
                "-alias",
                "agent",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=ip:127.0.0.1,dns:localhost",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                ks.toString(),
                "-storepass",
                "changeit",
                "-keypass",
                "changeit")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(ks)) {
      store.load(in, "changeit".toCharArray());
    }
    PrivateKey key = (PrivateKey) store.getKey("agent", "changeit".toCharArray());
    Certificate cert = store.getCertificate("agent");
    Base64.Encoder b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
    Path certFile = dir.resolve("cert.pem");
    Path keyFile = dir.resolve("key.pem");
    Files.writeString(
        certFile,
        "-----BEGIN CERTIFICATE-----\n"
            + b64.encodeToString(cert.getEncoded())
            + "\n-----END CERTIFICATE-----\n");
    Files.writeString(
        keyFile,
        "-----BEGIN PRIVATE KEY-----\n"
            + b64.encodeToString(key.getEncoded())
            + "\n-----END PRIVATE KEY-----\n");
    return new Path[] {certFile, keyFile, ks};
  }

  HttpClient client(Path p12) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(p12)) {
      trust.load(in, "changeit".toCharArray());
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(10)).build();
  }

  static UnixHttp.Answer send(HttpClient c, String method, String url, String token, String body)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    HttpResponse<byte[]> r = c.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    Map<String, String> headers = new HashMap<>();
    r.headers().map().forEach((k, v) -> headers.put(k.toLowerCase(), v.get(0)));
    UnixHttp.Answer a = new UnixHttp.Answer(r.statusCode(), headers, r.body());
    OpenApiCheck.check(method, URI.create(url).getRawPath(), a);
    return a;
  }

  @Test
  void tlsAndTokensWithTwoRoles() throws Exception {
    Path[] pem = pem();
    Path tokens = tokens();
    try (DemoAgent a =
        DemoAgent.start(
            "demo:x86-workstation",
            dir,
            c ->
                c.withListen(new InetSocketAddress("127.0.0.1", 0))
                    .withTls(pem[0], pem[1])
                    .withTokens(tokens))) {
      HttpClient c = client(pem[2]);
      String base = "https://127.0.0.1:" + a.agent.port();

      UnixHttp.Answer none = send(c, "GET", base + "/v1/devices", null, null);
      assertThat(none.status()).isEqualTo(401);
      assertThat(none.headers().get("www-authenticate")).startsWith("Bearer");
      assertThat(send(c, "GET", base + "/v1/devices", "x".repeat(40), null).status())
          .isEqualTo(401);
      assertThat(send(c, "GET", base + "/v1/devices", READ_TOKEN, null).status()).isEqualTo(200);

      String bind = "{\"devices\":[\"0000:03:00.0\"],\"dryRun\":true}";
      UnixHttp.Answer forbidden = send(c, "POST", base + "/v1/bind", READ_TOKEN, bind);
      assertThat(forbidden.status()).isEqualTo(403);
      UnixHttp.Answer ok = send(c, "POST", base + "/v1/bind", ADMIN_TOKEN, bind);
      assertThat(ok.status()).as(ok.text()).isEqualTo(200);

      // the socket still answers its peers (root here: admin)
      assertThat(a.api.get("/v1/devices").status()).isEqualTo(200);
      // and a token presented on the socket is checked like on TCP
      assertThat(
              a.api
                  .withHeader("Authorization", "Bearer " + READ_TOKEN)
                  .post("/v1/bind", bind)
                  .status())
          .isEqualTo(403);
      // a refusal given before the body is read still reaches the client whole, with an orderly
      // end of stream: the agent reads the rest of the body first (BodyDrain). 2 MiB: more than
      // the socket buffers hold, so that a close with unread bytes would reset the connection.
      byte[] big =
          ("{\"devices\":[\"0000:03:00.0\"],\"x\":\"" + "a".repeat(2 << 20) + "\"}")
              .getBytes(java.nio.charset.StandardCharsets.UTF_8);
      String refused =
          AgentBadInputTest.rawExchange(
              a.agent.socket(),
              "Authorization: Bearer " + READ_TOKEN + "\r\nContent-Length: " + big.length,
              big);
      assertThat(refused).startsWith("HTTP/1.1 403 ").contains("application/problem+json");

      List<String> audit = Files.readAllLines(a.agent.context().audit().file());
      assertThat(audit).anyMatch(l -> l.contains("\"who\":\"token:ops\""));
      assertThat(String.join("\n", audit)).doesNotContain(READ_TOKEN).doesNotContain(ADMIN_TOKEN);
    }
  }

  @Test
  void plainHttpOnlyOnLoopbackAndNeverWithoutTokens() throws Exception {
    Path tokens = tokens();
    assertThatThrownBy(
            () ->
                DemoAgent.start(
                    "demo:x86-workstation",
                    dir,
                    c -> c.withListen(new InetSocketAddress("0.0.0.0", 0)).withTokens(tokens)))
        .isInstanceOf(PcikitException.class)
        .hasMessageContaining("--tls-cert");
    assertThatThrownBy(
            () ->
                DemoAgent.start(
                    "demo:x86-workstation",
                    dir,
                    c -> c.withListen(new InetSocketAddress("127.0.0.1", 0))))
        .isInstanceOf(PcikitException.class)
        .hasMessageContaining("--tokens");
    try (DemoAgent a =
        DemoAgent.start(
            "demo:x86-workstation",
            dir,
            c -> c.withListen(new InetSocketAddress("127.0.0.1", 0)).withTokens(tokens))) {
      HttpClient c = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + a.agent.port();
      assertThat(send(c, "GET", base + "/v1/devices", READ_TOKEN, null).status()).isEqualTo(200);
    }
  }

  @Test
  void aTokenFileOthersCanReadOrAMalformedOneIsRefused() throws Exception {
    Path t = tokens();
    Files.setPosixFilePermissions(t, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> Tokens.read(t)).hasMessageContaining("chmod 0600");
    Files.setPosixFilePermissions(t, PosixFilePermissions.fromString("rw-------"));
    Files.writeString(t, "ops admin s3cr3tvalue\n");
    assertThatThrownBy(() -> Tokens.read(t))
        .hasMessageContaining("line 1")
        .hasMessageNotContaining("s3cr3tvalue");
    Files.writeString(t, "ops owner " + ADMIN_TOKEN + "\n");
    assertThatThrownBy(() -> Tokens.read(t)).hasMessageContaining("read or admin");
    Files.writeString(t, "ops admin " + ADMIN_TOKEN + "\nops read " + READ_TOKEN + "\n");
    assertThatThrownBy(() -> Tokens.read(t)).hasMessageContaining("unique");
  }

  @Test
  void tokensAreComparedWhole() throws Exception {
    Tokens t = Tokens.read(tokens());
    assertThat(t.check(ADMIN_TOKEN)).get().extracting(Caller::role).isEqualTo(Caller.Role.ADMIN);
    assertThat(t.check(READ_TOKEN)).get().extracting(Caller::who).isEqualTo("token:monitor");
    assertThat(t.check(ADMIN_TOKEN.substring(1))).isEmpty();
    assertThat(t.check(ADMIN_TOKEN + "x")).isEmpty();
    assertThat(t.check("")).isEmpty();
  }
}
