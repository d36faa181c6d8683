package dev.pcikit.cli;

import dev.pcikit.core.config.ConfigDecoder;
import dev.pcikit.core.config.ConfigRenderer;
import dev.pcikit.core.inventory.PciDevice;
import java.util.List;

/** Decoded config-space lines for `show`. */
final class DeviceDetails {
  private DeviceDetails() {}

  static List<String> capabilities(PciDevice d) {
    if (d.config().length == 0) {
      return List.of();
    }
    // A VF's COMMAND register reads memory-space off by design (SR-IOV spec 3.4.1.3), also a
    // detached VF's whose PF this kernel cannot see (s390 zPCI: no_command_memory): the
    // renderer is told so that it does not report the VF as disabled.
    boolean vf = d.isVirtualFunction();
    return ConfigRenderer.lines(ConfigDecoder.decode(d.config()), new ConfigRenderer.Options(vf));
  }
}
