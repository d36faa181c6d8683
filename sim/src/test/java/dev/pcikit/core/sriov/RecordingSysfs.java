package dev.pcikit.core.sriov;

import dev.pcikit.core.sysfs.Sysfs;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A sysfs that passes everything to another and records the writes ("path=value"), in order. */
final class RecordingSysfs implements Sysfs {
  private final Sysfs to;
  final List<String> writes = new ArrayList<>();

  RecordingSysfs(Sysfs to) {
    this.to = to;
  }

  public String readText(String path) throws IOException {
    return to.readText(path);
  }

  public byte[] readBytes(String path, int max) throws IOException {
    return to.readBytes(path, max);
  }

  public Optional<String> readLink(String path) throws IOException {
    return to.readLink(path);
  }

  public List<String> list(String path) throws IOException {
    return to.list(path);
  }

  public boolean exists(String path) {
    return to.exists(path);
  }

  public void write(String path, String value) throws IOException {
    writes.add(path + "=" + value);
    to.write(path, value);
  }
}
