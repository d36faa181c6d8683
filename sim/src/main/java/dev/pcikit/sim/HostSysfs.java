package dev.pcikit.sim;

import dev.pcikit.core.sysfs.MemorySysfs;
import dev.pcikit.core.sysfs.SysfsException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A host's sysfs tree in memory, plus what a recording keeps beside the tree: special files (modes,
 * sizes, read errors), host facts (architecture, platform, kernel), the driver catalogue the
 * simulated kernel matches with, dynamic IDs added through {@code new_id}, and per-device
 * simulation properties (EEH PE numbers...). This is what a snapshot loads into and what the {@link
 * SimKernel} changes.
 */
public class HostSysfs extends MemorySysfs {
  private final Map<String, SpecialFile> special = new TreeMap<>();
  private final Map<String, String> info = new LinkedHashMap<>();
  private DriverCatalog catalog;
  private DriverCatalog defaults;
  private final Map<String, List<String>> dynids = new TreeMap<>();
  private final Map<String, Map<String, String>> props = new ConcurrentSkipListMap<>();

  // ---- special files ------------------------------------------------------------------------

  /** Creates an (empty) special file: write-only attribute, action file or unreadable file. */
  public HostSysfs putSpecial(String path, SpecialFile file) {
    putFile(path, new byte[0]);
    special.put(canonical(path), file);
    return this;
  }

  /** The special-file description of a path, if it is one. */
  public Optional<SpecialFile> special(String path) {
    return Optional.ofNullable(special.get(canonical(path)));
  }

  @Override
  public byte[] readBytes(String path, int max) throws IOException {
    SpecialFile s = special.get(canonical(path));
    if (s != null && s.kind() != SpecialFile.Kind.STAT) {
      throw new SysfsException(s.readErrno(), path);
    }
    return super.readBytes(path, max);
  }

  @Override
  public boolean remove(String path) {
    String c = canonical(path);
    special.keySet().removeIf(k -> k.equals(c) || k.startsWith(c + "/"));
    return super.remove(path);
  }

  /**
   * The path with every link in it resolved, except a link in the last element (like {@code
   * realpath} of the parent plus the name).
   */
  public String canonical(String path) {
    List<String> done = new ArrayList<>();
    List<String> todo = new ArrayList<>(SysfsPaths.split(path));
    int hops = 0;
    while (!todo.isEmpty()) {
      String part = todo.remove(0);
      if (part.equals("..")) {
        if (!done.isEmpty()) {
          done.remove(done.size() - 1);
        }
        continue;
      }
      String here = SysfsPaths.join(String.join("/", done), part);
      if (!todo.isEmpty() && isLink(here) && hops++ < 40) {
        String target;
        try {
          target = readLink(here).orElseThrow();
        } catch (IOException e) {
          return path;
        }
        if (target.startsWith("/")) {
          done.clear();
        }
        todo.addAll(0, SysfsPaths.split(target));
        continue;
      }
      done.add(part);
    }
    return String.join("/", done);
  }

  /** The canonical directory a link (or directory) path points to. */
  public String realDir(String path) {
    return SysfsPaths.parent(canonical(path + "/x"));
  }

  // ---- host data ----------------------------------------------------------------------------

  /** Host facts ({@code arch}, {@code platform}, {@code kernel}...), in insertion order. */
  public Map<String, String> info() {
    return info;
  }

  public String arch() {
    return info.getOrDefault("arch", "x86_64");
  }

  public DriverCatalog catalog() {
    if (catalog == null) {
      if (defaults == null) {
        defaults = DriverCatalog.defaults();
      }
      return defaults;
    }
    return catalog;
  }

  /** Whether the catalogue was set explicitly (and so belongs in a snapshot). */
  public boolean hasCatalog() {
    return catalog != null;
  }

  public void catalog(DriverCatalog c) {
    this.catalog = c;
  }

  /** Dynamic IDs per driver, each as written to new_id ("1b36 0010"). */
  public Map<String, List<String>> dynids() {
    return dynids;
  }

  /**
   * Simulation properties of a device (e.g. {@code pe}, {@code frozen}), created on first use (for
   * writers). Readers use {@link #prop}.
   */
  public Map<String, String> props(String bdf) {
    return props.computeIfAbsent(bdf, k -> new TreeMap<>());
  }

  /**
   * One simulation property of a device, or null; creates nothing. The inventory reads devices in
   * parallel, so the read path must not mutate the map (a {@code computeIfAbsent} on a TreeMap from
   * two reader threads threw ConcurrentModificationException and lost a device from the listing).
   */
  public String prop(String bdf, String key) {
    Map<String, String> p = props.get(bdf);
    return p == null ? null : p.get(key);
  }

  /** Every device's properties (devices without any are left out); a copy. */
  public Map<String, Map<String, String>> allProps() {
    Map<String, Map<String, String>> out = new TreeMap<>();
    props.forEach(
        (k, v) -> {
          if (!v.isEmpty()) {
            out.put(k, v);
          }
        });
    return out;
  }
}
