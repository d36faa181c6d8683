package dev.pcikit.core.plan;

import java.util.List;
import java.util.Optional;

/**
 * A planned guest PCI topology: new controllers and devices only; what an existing domain already
 * has stays where it is and is only described by {@link #base}.
 */
public record Plan(
    String name,
    MachineType machine,
    List<PlannedController> controllers,
    List<PlannedDevice> devices,
    List<EehReport> eeh,
    List<String> notes,
    List<String> warnings,
    Optional<ExistingDomain> base) {

  public Plan {
    controllers = List.copyOf(controllers);
    devices = List.copyOf(devices);
    eeh = List.copyOf(eeh);
    notes = List.copyOf(notes);
    warnings = List.copyOf(warnings);
  }

  public boolean isEmpty() {
    return controllers.isEmpty() && devices.isEmpty();
  }
}
