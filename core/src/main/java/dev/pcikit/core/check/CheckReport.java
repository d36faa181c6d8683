package dev.pcikit.core.check;

import java.util.ArrayList;
import java.util.List;

/** The result of {@code pcikit check}: host findings and per-device reports. */
public record CheckReport(List<Finding> host, List<DeviceReport> devices) {

  public CheckReport {
    host = List.copyOf(host);
    devices = List.copyOf(devices);
  }

  public boolean blocking() {
    return host.stream().anyMatch(Finding::blocking)
        || devices.stream().anyMatch(d -> !d.assignable());
  }

  public List<Finding> all() {
    List<Finding> all = new ArrayList<>(host);
    devices.forEach(d -> all.addAll(d.findings()));
    return all;
  }

  public Verdict verdict() {
    return Verdict.worst(all());
  }
}
