package dev.pcikit.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options shared by the vfio write commands. */
final class VfioOptions {
  @Option(
      names = "--lock-timeout",
      paramLabel = "SECONDS",
      description =
          "How long to wait for another pcikit to finish (default: ${DEFAULT-VALUE}); then exit 7")
  int lockTimeout = 30;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description = "Journal and binding records (default: ROOT/var/lib/pcikit)")
  Path stateDir;
}
