package dev.pcikit.core.vfio;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code modprobe MODULE} on the running kernel. Module names use '_' (vfio-pci → vfio_pci).
 */
public final class ModprobeLoader implements ModuleLoader {
  private final String modprobe;

  public ModprobeLoader(String modprobe) {
    this.modprobe = modprobe;
  }

  public ModprobeLoader() {
    this("modprobe");
  }

  @Override
  public void load(String module) throws IOException {
    Process p =
        new ProcessBuilder(modprobe, module.replace('-', '_')).redirectErrorStream(true).start();
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("modprobe " + module + " did not finish in 60 s");
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (p.exitValue() != 0) {
        throw new IOException("modprobe " + module + " failed: " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while loading " + module, e);
    }
  }
}
