package dev.pcikit.agent;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TLS key store from PEM files (RFC 7468): the certificate chain (leaf first) and a PKCS#8
 * private key ({@code BEGIN PRIVATE KEY}, RSA, EC or Ed25519, unencrypted). A PKCS#1 or SEC 1 key
 * ({@code BEGIN RSA/EC PRIVATE KEY}) is refused with the openssl line that converts it.
 */
final class Pem {
  private Pem() {}

  static final int MAX_BYTES = 1 << 20;
  static final char[] PASSWORD = new char[0];

  private static final Pattern KEY =
      Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

  static KeyStore keyStore(Path certFile, Path keyFile) {
    try {
      List<? extends Certificate> chain;
      try (var in = new ByteArrayInputStream(read(certFile))) {
        chain = List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
      }
      if (chain.isEmpty()) {
        throw bad(certFile + ": no certificate");
      }
      String text = new String(read(keyFile), StandardCharsets.US_ASCII);
      if (text.contains("BEGIN RSA PRIVATE KEY") || text.contains("BEGIN EC PRIVATE KEY")) {
        throw bad(
            keyFile
                + ": a PKCS#1/SEC 1 key; convert it: openssl pkcs8 -topk8 -nocrypt -in KEY -out"
                + " KEY.pk8");
      }
      Matcher m = KEY.matcher(text);
      if (!m.find()) {
        throw bad(keyFile + ": no unencrypted PKCS#8 key (BEGIN PRIVATE KEY)");
      }
      byte[] der = Base64.getMimeDecoder().decode(m.group(1));
      PrivateKey key = null;
      for (String alg : List.of("RSA", "EC", "Ed25519", "EdDSA")) {
        try {
          key = KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
          break;
        } catch (GeneralSecurityException e) {
          // try the next algorithm
        }
      }
      if (key == null) {
        throw bad(keyFile + ": not an RSA, EC or Ed25519 key");
      }
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("pcikit", key, PASSWORD, chain.toArray(Certificate[]::new));
      return ks;
    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
      throw bad("cannot read the TLS certificate or key: " + e.getMessage());
    }
  }

  private static byte[] read(Path p) throws IOException {
    if (Files.size(p) > MAX_BYTES) {
      throw new IOException(p + " is larger than " + MAX_BYTES + " bytes");
    }
    return Files.readAllBytes(p);
  }

  private static PcikitException bad(String m) {
    return new PcikitException(Failure.BAD_INPUT, m);
  }
}
