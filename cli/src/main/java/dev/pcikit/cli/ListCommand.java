package dev.pcikit.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Placeholder; implemented in the inventory work. */
@Command(name = "list", description = "TODO")
final class ListCommand implements Runnable {
  @Mixin GlobalOptions global;

  @Override
  public void run() {}
}
