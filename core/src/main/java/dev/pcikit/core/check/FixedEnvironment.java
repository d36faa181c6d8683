package dev.pcikit.core.check;

import java.util.Map;
import java.util.Optional;

/** A host environment given as values: simulated and recorded hosts, tests. */
public record FixedEnvironment(
    Arch arch,
    Optional<String> kernelCommandLine,
    Optional<String> kernelRelease,
    Map<String, ModuleState> modules)
    implements HostEnvironment {

  public FixedEnvironment {
    modules = Map.copyOf(modules);
  }

  @Override
  public ModuleState module(String name) {
    return modules.getOrDefault(name.replace('-', '_'), ModuleState.UNKNOWN);
  }
}
