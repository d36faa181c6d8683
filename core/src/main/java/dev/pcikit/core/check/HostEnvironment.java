package dev.pcikit.core.check;

import java.util.Optional;

/**
 * What the host checks need beyond the PCI inventory: the architecture, the kernel command line,
 * the modules the running kernel can use. {@link RootEnvironment} reads them from a system root;
 * simulated hosts supply them directly ({@link FixedEnvironment}).
 */
public interface HostEnvironment {

  Arch arch();

  /** The kernel command line (/proc/cmdline), when readable. */
  Optional<String> kernelCommandLine();

  /** The running kernel's release (uname -r), when known. */
  Optional<String> kernelRelease();

  /** Whether module {@code name} ('-' and '_' are the same) is built in, loaded or installed. */
  ModuleState module(String name);
}
