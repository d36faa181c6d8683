package dev.pcikit.sim;

import java.util.ArrayList;
import java.util.List;

/** Path arithmetic for sysfs trees: the relative links the kernel makes (sysfs_create_link). */
public final class SysfsPaths {
  private SysfsPaths() {}

  public static List<String> split(String path) {
    List<String> parts = new ArrayList<>();
    for (String s : path.split("/")) {
      if (!s.isEmpty() && !s.equals(".")) {
        parts.add(s);
      }
    }
    return parts;
  }

  /**
   * The relative link target from a link placed in directory {@code fromDir} to {@code target}
   * (both relative to the sysfs root), as the kernel writes it: {@code ../../../bus/pci}.
   */
  public static String relative(String fromDir, String target) {
    List<String> from = split(fromDir);
    List<String> to = split(target);
    int common = 0;
    while (common < from.size() && common < to.size() && from.get(common).equals(to.get(common))) {
      common++;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = common; i < from.size(); i++) {
      sb.append("../");
    }
    sb.append(String.join("/", to.subList(common, to.size())));
    String s = sb.toString();
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  /** Resolves a relative link target against the directory that holds the link. */
  public static String resolve(String dir, String target) {
    List<String> out = target.startsWith("/") ? new ArrayList<>() : new ArrayList<>(split(dir));
    for (String p : split(target)) {
      if (p.equals("..")) {
        if (!out.isEmpty()) {
          out.remove(out.size() - 1);
        }
      } else {
        out.add(p);
      }
    }
    return String.join("/", out);
  }

  public static String parent(String path) {
    List<String> p = split(path);
    return p.isEmpty() ? "" : String.join("/", p.subList(0, p.size() - 1));
  }

  public static String name(String path) {
    List<String> p = split(path);
    return p.isEmpty() ? "" : p.get(p.size() - 1);
  }

  public static String join(String dir, String name) {
    return dir.isEmpty() ? name : dir + "/" + name;
  }
}
