package dev.pcikit.core.vfio;

import dev.pcikit.core.model.PciAddress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * driverctl's saved overrides: one file per device in {@code /etc/driverctl.d}, named {@code
 * pci-0000:01:00.0}, holding the driver name (driverctl's {@code save_override}). driverctl's udev
 * rule re-applies them at boot and on hotplug, so pcikit must not silently fight them.
 */
public final class DriverctlOverrides {
  private final Path dir;

  public DriverctlOverrides(Path dir) {
    this.dir = dir;
  }

  public Path fileFor(PciAddress a) {
    return dir.resolve("pci-" + a);
  }

  public Optional<String> overrideFor(PciAddress a) {
    Path f = fileFor(a);
    try {
      if (Files.isRegularFile(f)) {
        // driverctl writes a driver name; a few hundred bytes is more than any
        String s;
        try (var in = Files.newInputStream(f)) {
          s = new String(in.readNBytes(256), StandardCharsets.UTF_8).strip();
        }
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
      }
    } catch (IOException e) {
      return Optional.of("(unreadable: " + e.getMessage() + ")");
    }
    return Optional.empty();
  }

  public Map<PciAddress, String> all() throws IOException {
    Map<PciAddress, String> out = new TreeMap<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "pci-*")) {
      for (Path p : ds) {
        String bdf = p.getFileName().toString().substring(4);
        if (PciAddress.isAddress(bdf)) {
          PciAddress a = PciAddress.parse(bdf);
          overrideFor(a).ifPresent(d -> out.put(a, d));
        }
      }
    }
    return out;
  }
}
