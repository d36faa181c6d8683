package dev.pcikit.sim;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** A copy of a sysfs subtree (files, links, special files), to put back later (rescan). */
final class TreeCopy {
  private record Entry(String rel, byte[] content, String link, SpecialFile special, boolean dir) {}

  private final List<Entry> entries;

  private TreeCopy(List<Entry> entries) {
    this.entries = entries;
  }

  static TreeCopy capture(HostSysfs fs, String dir) throws IOException {
    List<Entry> out = new ArrayList<>();
    walk(fs, dir, "", out);
    return new TreeCopy(out);
  }

  private static void walk(HostSysfs fs, String base, String rel, List<Entry> out)
      throws IOException {
    String here = rel.isEmpty() ? base : base + "/" + rel;
    for (String name : fs.list(here)) {
      String r = rel.isEmpty() ? name : rel + "/" + name;
      String p = base + "/" + r;
      Optional<String> link = fs.readLink(p);
      if (link.isPresent()) {
        out.add(new Entry(r, null, link.get(), null, false));
      } else if (fs.isDirectory(p)) {
        out.add(new Entry(r, null, null, null, true));
        walk(fs, base, r, out);
      } else if (fs.special(p).isPresent()) {
        out.add(new Entry(r, null, null, fs.special(p).get(), false));
      } else {
        out.add(new Entry(r, fs.readBytes(p, Integer.MAX_VALUE), null, null, false));
      }
    }
  }

  /** Recreates the subtree at {@code dir}, leaving out top-level entries named in {@code skip}. */
  void restore(HostSysfs fs, String dir, Set<String> skip) {
    fs.mkdirs(dir);
    for (Entry e : entries) {
      if (skip.contains(e.rel())) {
        continue;
      }
      String p = dir + "/" + e.rel();
      if (e.dir()) {
        fs.mkdirs(p);
      } else if (e.link() != null) {
        fs.putLink(p, e.link());
      } else if (e.special() != null) {
        fs.putSpecial(p, e.special());
      } else {
        fs.putFile(p, e.content());
      }
    }
  }
}
