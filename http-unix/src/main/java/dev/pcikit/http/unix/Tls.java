package dev.pcikit.http.unix;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** TLS contexts for https addresses: the JDK's trust store, or the certificates of a PEM file. */
final class Tls {
  private Tls() {}

  static SSLContext context(Path caFile) throws IOException {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      if (caFile == null) {
        ctx.init(null, null, null);
        return ctx;
      }
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      try (InputStream in = Files.newInputStream(caFile)) {
        int i = 0;
        for (var cert : cf.generateCertificates(in)) {
          ks.setCertificateEntry("ca" + i++, (X509Certificate) cert);
        }
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot use the CA file " + caFile + ": " + e.getMessage(), e);
    }
  }
}
