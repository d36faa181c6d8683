package dev.pcikit.core.check;

/**
 * Reads kmod's module lists: {@code modules.builtin} (one path per line, {@code
 * kernel/drivers/vfio/pci/vfio-pci.ko}) and {@code modules.dep} ({@code path.ko[.xz|.zst|.gz]:
 * deps}). A module's name is its file name without the extensions, with '-' read as '_' (kmod's
 * modname_normalize).
 */
final class ModuleLists {
  private ModuleLists() {}

  static boolean listed(String list, String module) {
    String want = RootEnvironment.normalize(module);
    for (String line : list.split("\n")) {
      int colon = line.indexOf(':');
      String path = (colon >= 0 ? line.substring(0, colon) : line).strip();
      if (path.isEmpty()) {
        continue;
      }
      if (nameOf(path).equals(want)) {
        return true;
      }
    }
    return false;
  }

  static String nameOf(String path) {
    String base = path.substring(path.lastIndexOf('/') + 1);
    int ko = base.indexOf(".ko");
    if (ko >= 0) {
      base = base.substring(0, ko);
    }
    return RootEnvironment.normalize(base);
  }
}
