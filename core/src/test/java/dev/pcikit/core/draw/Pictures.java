package dev.pcikit.core.draw;

import dev.pcikit.core.testhosts.Hosts;
import dev.pcikit.core.testhosts.SyntheticHost;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The pictures under test: each synthetic host, drawn as the CLI would draw it. */
final class Pictures {
  private Pictures() {}

  static final Path GOLDEN = Path.of("src/test/resources/golden/draw");

  static boolean regenerate() {
    return Boolean.getBoolean("pcikit.regenerate");
  }

  static HostPicture picture(String title, SyntheticHost h, boolean expand) {
    return new HostPicture(title, h.inventory(), Hosts::name, expand);
  }

  /** name → picture, for every golden file. */
  static Map<String, HostPicture> all() {
    Map<String, HostPicture> m = new LinkedHashMap<>();
    m.put(
        "x86-workstation",
        picture("PCI topology of x86-workstation", Hosts.x86Workstation(), false));
    m.put("power9", picture("PCI topology of power9", Hosts.power9(), false));
    m.put(
        "nic-farm-4x128",
        picture("PCI topology of nic-farm (4 PF × 128 VF)", Hosts.nicFarm(4, 128), false));
    return m;
  }
}
