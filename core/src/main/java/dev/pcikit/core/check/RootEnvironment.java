package dev.pcikit.core.check;

import dev.pcikit.core.sysfs.Sysfs;
import dev.pcikit.core.sysfs.SystemRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The host environment of a system root ({@code --root}, default /): {@code proc/cmdline}, {@code
 * proc/sys/kernel/osrelease}, {@code lib/modules/RELEASE/modules.builtin} and {@code modules.dep},
 * and {@code sys/module/NAME} for loaded modules.
 */
public final class RootEnvironment implements HostEnvironment {
  private final SystemRoot root;
  private final Sysfs sysfs;
  private final boolean liveRoot;

  public RootEnvironment(SystemRoot root, Sysfs sysfs) {
    this.root = root;
    this.sysfs = sysfs;
    this.liveRoot = root.isLive();
  }

  @Override
  public Arch arch() {
    Optional<String> a = read("proc/sys/kernel/arch");
    if (a.isPresent()) {
      return Arch.of(a.get());
    }
    if (liveRoot) {
      return Arch.of(System.getProperty("os.arch"));
    }
    return archFromSysfs(sysfs);
  }

  /** Architecture from what only one family's kernel publishes in sysfs. */
  static Arch archFromSysfs(Sysfs sysfs) {
    for (String base : List.of("class/iommu", "devices/virtual/iommu")) {
      try {
        if (sysfs.exists(base)) {
          for (String n : sysfs.list(base)) {
            if (n.startsWith("dmar") || n.startsWith("ivhd")) {
              return Arch.X86;
            }
          }
        }
      } catch (IOException e) {
        // fall through to other evidence
      }
    }
    try {
      // A device's iommu link names its unit (../../virtual/iommu/dmar0) even in recordings.
      for (String d : sysfs.list("bus/pci/devices")) {
        Optional<String> unit = sysfs.linkName("bus/pci/devices/" + d + "/iommu");
        if (unit.isPresent()) {
          if (unit.get().startsWith("dmar") || unit.get().startsWith("ivhd")) {
            return Arch.X86;
          }
          break;
        }
      }
    } catch (IOException e) {
      // fall through
    }
    if (sysfs.exists("firmware/opal") || sysfs.exists("firmware/devicetree/base/rtas")) {
      return Arch.POWER;
    }
    if (sysfs.exists("bus/css") || sysfs.exists("bus/ccw")) {
      return Arch.S390X;
    }
    if (sysfs.exists("firmware/acpi")) {
      return Arch.X86;
    }
    return Arch.UNKNOWN;
  }

  @Override
  public Optional<String> kernelCommandLine() {
    return read("proc/cmdline");
  }

  @Override
  public Optional<String> kernelRelease() {
    Optional<String> r = read("proc/sys/kernel/osrelease");
    if (r.isPresent()) {
      return r;
    }
    if (liveRoot) {
      // On Linux the JDK's os.version is uname(2)'s release.
      return Optional.ofNullable(System.getProperty("os.version"));
    }
    try (Stream<Path> s = Files.list(root.modules())) {
      List<Path> dirs = s.filter(Files::isDirectory).toList();
      return dirs.size() == 1
          ? Optional.of(dirs.get(0).getFileName().toString())
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  @Override
  public ModuleState module(String name) {
    String want = normalize(name);
    Optional<String> release = kernelRelease();
    Optional<String> builtin = release.flatMap(r -> read("lib/modules/" + r + "/modules.builtin"));
    if (builtin.isPresent() && ModuleLists.listed(builtin.get(), want)) {
      return ModuleState.BUILTIN;
    }
    if (sysfs.exists("module/" + want)) {
      return ModuleState.LOADED;
    }
    Optional<String> dep = release.flatMap(r -> read("lib/modules/" + r + "/modules.dep"));
    if (dep.isPresent() && ModuleLists.listed(dep.get(), want)) {
      return ModuleState.AVAILABLE;
    }
    return builtin.isPresent() || dep.isPresent() ? ModuleState.ABSENT : ModuleState.UNKNOWN;
  }

  static String normalize(String module) {
    return module.replace('-', '_').toLowerCase(Locale.ROOT);
  }

  private Optional<String> read(String relative) {
    Path p = root.root().resolve(relative);
    try {
      // modules.dep of a large kernel is ~1 MiB; /proc files are a few KiB
      return Optional.of(
          dev.pcikit.core.io.InputFiles.readUtf8(p, 16 * dev.pcikit.core.io.InputFiles.MIB, "file")
              .strip());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
