package dev.pcikit.core.vfio;

import dev.pcikit.core.model.PciAddress;
import dev.pcikit.core.sysfs.Sysfs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The bindings of a {@link SimHost} in a file, so that several processes share one simulated host
 * (a real kernel's state outlives the process that wrote to it). Loading replays the bindings
 * through the simulated kernel's own sysfs writes on a freshly booted host.
 */
final class SimStateFile {
  private SimStateFile() {}

  static void save(SimHost h, Path file) throws IOException {
    List<String> lines = new ArrayList<>();
    if (h.kernel.loaded("vfio-pci")) {
      lines.add("loaded vfio-pci");
    }
    for (Map.Entry<String, String> e : h.bindings().entrySet()) {
      lines.add("dev " + e.getKey() + " " + e.getValue());
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(tmp, lines);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  static void load(SimHost h, Path file) throws IOException {
    DeviceReader reader = new DeviceReader(h.kernel);
    for (String l : Files.readAllLines(file)) {
      String[] f = l.split(" ");
      if (f[0].equals("loaded")) {
        if (!h.kernel.loaded(f[1])) {
          h.kernel.modprobe(f[1]);
        }
        continue;
      }
      PciAddress a = PciAddress.parse(f[1]);
      Target t = Target.of(Binding.decode(f[2], f[3]));
      for (Steps.Step step : Steps.WRITE_STEPS) {
        for (WriteOp w : Steps.writes(step, a, reader.binding(a), t)) {
          h.kernel.write(w.path(), w.value());
        }
      }
    }
  }

  /** The kernel's sysfs, saving the state file after every write (and module load). */
  static Sysfs autosaving(SimHost h, Path file) {
    return new Sysfs() {
      @Override
      public String readText(String path) throws IOException {
        return h.kernel.readText(path);
      }

      @Override
      public byte[] readBytes(String path, int max) throws IOException {
        return h.kernel.readBytes(path, max);
      }

      @Override
      public Optional<String> readLink(String path) throws IOException {
        return h.kernel.readLink(path);
      }

      @Override
      public List<String> list(String path) throws IOException {
        return h.kernel.list(path);
      }

      @Override
      public boolean exists(String path) {
        return h.kernel.exists(path);
      }

      @Override
      public void write(String path, String value) throws IOException {
        try {
          h.kernel.write(path, value);
        } finally {
          save(h, file);
        }
      }
    };
  }
}
