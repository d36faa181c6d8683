package dev.pcikit.sim;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Checks that every link of a tree resolves inside it when the tree is a real directory: the chain
 * is followed the way the kernel's path walk does (a link met in the middle of a path is replaced
 * by its target, then {@code ..} goes up from where that led), at most 40 links deep (Linux's
 * MAXSYMLINKS). A text check of each target alone is not enough: with {@code up -> ../../..} at the
 * top, {@code driver -> up/../../../../escape} looks like it stays inside ({@code up/..} cancels
 * out lexically) but climbs out of the tree once {@code up} is followed. In memory the tree's root
 * is its own parent, so only this check sees the escape.
 */
public final class LinkChains {
  /** Linux's MAXSYMLINKS (include/linux/namei.h). */
  static final int MAX_HOPS = 40;

  private LinkChains() {}

  /** The first link (in path order) that leaves the tree or loops, with why. */
  public static Optional<String> firstEscape(HostSysfs fs) {
    return walk(fs, "");
  }

  private static Optional<String> walk(HostSysfs fs, String dir) {
    List<String> names;
    try {
      names = fs.list(dir);
    } catch (IOException e) {
      return Optional.empty();
    }
    for (String name : names) {
      String p = SysfsPaths.join(dir, name);
      if (fs.isLink(p)) {
        Optional<String> bad = check(fs, p);
        if (bad.isPresent()) {
          return bad;
        }
      } else if (fs.isDirectory(p)) {
        Optional<String> bad = walk(fs, p);
        if (bad.isPresent()) {
          return bad;
        }
      }
    }
    return Optional.empty();
  }

  /** Follows the link at {@code link} (whose parent is a real directory) to its end. */
  static Optional<String> check(HostSysfs fs, String link) {
    List<String> at = new ArrayList<>(SysfsPaths.split(SysfsPaths.parent(link)));
    Deque<String> todo = new ArrayDeque<>();
    int hops = 0;
    String next = link;
    while (true) {
      if (next != null) {
        if (++hops > MAX_HOPS) {
          return Optional.of(link + ": more than " + MAX_HOPS + " links in a chain (a loop)");
        }
        String target;
        try {
          target = fs.readLink(next).orElse("");
        } catch (IOException e) {
          return Optional.empty();
        }
        if (target.startsWith("/")) {
          return Optional.of(link + ": link " + next + " -> " + target + " is absolute");
        }
        List<String> parts = SysfsPaths.split(target);
        for (int i = parts.size() - 1; i >= 0; i--) {
          todo.addFirst(parts.get(i));
        }
        next = null;
      }
      if (todo.isEmpty()) {
        return Optional.empty();
      }
      String part = todo.pollFirst();
      if (part.equals("..")) {
        if (at.isEmpty()) {
          return Optional.of(
              link + ": leaves the tree (followed through its links, '..' goes above the root)");
        }
        at.remove(at.size() - 1);
        continue;
      }
      String here = SysfsPaths.join(String.join("/", at), part);
      if (fs.isLink(here)) {
        next = here;
      } else {
        at.add(part);
      }
    }
  }
}
