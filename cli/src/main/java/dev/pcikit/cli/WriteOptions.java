package dev.pcikit.cli;

import picocli.CommandLine.Option;

/** {@code --dry-run} and {@code --yes}: the same on every write command. */
final class WriteOptions {
  @Option(
      names = "--dry-run",
      description = "Print the exact writes as shell lines; change nothing")
  boolean dryRun;

  @Option(names = "--yes", description = "Do not ask for confirmation on a terminal")
  boolean yes;
}
