package dev.pcikit.core.vfio;

import java.io.IOException;

/**
 * Loads a kernel module so that its driver appears under {@code bus/pci/drivers}. Real hosts run
 * {@code modprobe}; the simulated kernel loads its modelled modules.
 */
public interface ModuleLoader {

  void load(String module) throws IOException;

  /** For hosts where nothing can be loaded (a --root tree): always fails with a clear reason. */
  ModuleLoader NONE =
      module -> {
        throw new IOException(
            "cannot load module " + module + " on this host (not the running kernel)");
      };
}
