package dev.pcikit.cli;

import dev.pcikit.core.sysfs.Sysfs;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A sysfs opened on first use: a --host session is loaded only once the host lock is held, so that
 * two invocations never load the same state file at the same time.
 */
final class LazySysfs implements Sysfs {
  private final Supplier<Sysfs> opener;
  private Sysfs sysfs;

  LazySysfs(Supplier<Sysfs> opener) {
    this.opener = opener;
  }

  private Sysfs s() {
    if (sysfs == null) {
      sysfs = opener.get();
    }
    return sysfs;
  }

  @Override
  public String readText(String path) throws IOException {
    return s().readText(path);
  }

  @Override
  public byte[] readBytes(String path, int max) throws IOException {
    return s().readBytes(path, max);
  }

  @Override
  public Optional<String> readLink(String path) throws IOException {
    return s().readLink(path);
  }

  @Override
  public List<String> list(String path) throws IOException {
    return s().list(path);
  }

  @Override
  public boolean exists(String path) {
    return s().exists(path);
  }

  @Override
  public void write(String path, String value) throws IOException {
    s().write(path, value);
  }
}
