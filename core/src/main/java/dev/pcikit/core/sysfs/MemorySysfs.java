package dev.pcikit.core.sysfs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An in-memory sysfs tree: directories, files and relative symbolic links, resolved the way the
 * kernel resolves paths (links in the middle of a path are followed, at most 40 of them, so a cycle
 * ends with an error instead of a hang). Writes replace file content; a subclass (the simulated
 * kernel) gives writes their kernel meaning by overriding {@link #write}.
 */
public class MemorySysfs implements Sysfs {
  private static final int MAX_LINK_HOPS = 40;

  private sealed interface Node permits Dir, File, Link {}

  private static final class Dir implements Node {
    final TreeMap<String, Node> children = new TreeMap<>();
  }

  private static final class File implements Node {
    byte[] content;
    final boolean writable;

    File(byte[] content, boolean writable) {
      this.content = content;
      this.writable = writable;
    }
  }

  private record Link(String target) implements Node {}

  private final Dir root = new Dir();

  // ---- building -------------------------------------------------------------------------

  public MemorySysfs mkdirs(String path) {
    Dir d = root;
    for (String part : split(path)) {
      Node n = d.children.get(part);
      if (n == null) {
        Dir nd = new Dir();
        d.children.put(part, nd);
        d = nd;
      } else if (n instanceof Dir nd) {
        d = nd;
      } else {
        throw new IllegalStateException("not a directory: " + path);
      }
    }
    return this;
  }

  public MemorySysfs putFile(String path, byte[] content) {
    parentOf(path).children.put(name(path), new File(content.clone(), true));
    return this;
  }

  public MemorySysfs putText(String path, String content) {
    return putFile(path, content.getBytes(StandardCharsets.UTF_8));
  }

  public MemorySysfs putLink(String path, String target) {
    parentOf(path).children.put(name(path), new Link(target));
    return this;
  }

  public boolean remove(String path) {
    try {
      Dir parent = resolveDir(parentPath(path), path);
      return parent.children.remove(name(path)) != null;
    } catch (IOException e) {
      return false;
    }
  }

  private Dir parentOf(String path) {
    String parent = parentPath(path);
    mkdirs(parent);
    try {
      return resolveDir(parent, path);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- Sysfs ----------------------------------------------------------------------------

  @Override
  public String readText(String path) throws IOException {
    return new String(readBytes(path, 1 << 20), StandardCharsets.UTF_8);
  }

  @Override
  public byte[] readBytes(String path, int max) throws IOException {
    Node n = resolve(path, true);
    if (n instanceof File f) {
      return Arrays.copyOf(f.content, Math.min(max, f.content.length));
    }
    throw new SysfsException(Errno.EISDIR, path);
  }

  @Override
  public Optional<String> readLink(String path) throws IOException {
    Node n = resolve(path, false);
    return n instanceof Link l ? Optional.of(l.target()) : Optional.empty();
  }

  @Override
  public List<String> list(String path) throws IOException {
    Node n = resolve(path, true);
    if (n instanceof Dir d) {
      return new ArrayList<>(d.children.keySet());
    }
    throw new SysfsException(Errno.ENOTDIR, path);
  }

  @Override
  public boolean exists(String path) {
    try {
      resolve(path, false);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void write(String path, String value) throws IOException {
    Node n = resolve(path, true);
    if (n instanceof File f) {
      f.content = value.getBytes(StandardCharsets.UTF_8);
      return;
    }
    throw new SysfsException(Errno.EISDIR, path);
  }

  /** Whether the path names a directory (links followed). */
  public boolean isDirectory(String path) {
    try {
      return resolve(path, true) instanceof Dir;
    } catch (IOException e) {
      return false;
    }
  }

  /** Whether the path itself is a link. */
  public boolean isLink(String path) {
    try {
      return resolve(path, false) instanceof Link;
    } catch (IOException e) {
      return false;
    }
  }

  // ---- resolution -----------------------------------------------------------------------

  private Dir resolveDir(String path, String forError) throws IOException {
    Node n = resolve(path, true);
    if (n instanceof Dir d) {
      return d;
    }
    throw new SysfsException(Errno.ENOTDIR, forError);
  }

  /**
   * Resolves a path from the root. Intermediate links are always followed; the last element's link
   * only when {@code followLast}. A link hop budget turns cycles into ELOOP-like errors.
   */
  private Node resolve(String path, boolean followLast) throws IOException {
    Deque<String> todo = new ArrayDeque<>(split(path));
    List<String> where = new ArrayList<>(); // canonical position, for relative links
    List<Dir> stack = new ArrayList<>();
    Dir cur = root;
    stack.add(root);
    int hops = 0;
    Node node = root;
    while (!todo.isEmpty()) {
      String part = todo.pollFirst();
      if (part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (stack.size() > 1) {
          stack.remove(stack.size() - 1);
          where.remove(where.size() - 1);
        }
        cur = stack.get(stack.size() - 1);
        node = cur;
        continue;
      }
      Node child = cur.children.get(part);
      if (child == null) {
        throw new SysfsException(Errno.ENOENT, path);
      }
      if (child instanceof Link l && (followLast || !todo.isEmpty())) {
        if (++hops > MAX_LINK_HOPS) {
          throw new SysfsException(Errno.EIO, path, "too many levels of symbolic links");
        }
        List<String> target = split(l.target());
        if (l.target().startsWith("/")) {
          stack.subList(1, stack.size()).clear();
          where.clear();
          cur = root;
        }
        for (int i = target.size() - 1; i >= 0; i--) {
          todo.addFirst(target.get(i));
        }
        node = cur;
        continue;
      }
      node = child;
      if (child instanceof Dir d) {
        cur = d;
        stack.add(d);
        where.add(part);
      } else if (!todo.isEmpty()) {
        throw new SysfsException(Errno.ENOTDIR, path);
      }
    }
    return node;
  }

  /** Every file, link and directory below a path (links not followed): for snapshots. */
  public Map<String, String> describe() {
    Map<String, String> out = new TreeMap<>();
    walk("", root, out);
    return out;
  }

  private static void walk(String prefix, Dir d, Map<String, String> out) {
    for (Map.Entry<String, Node> e : d.children.entrySet()) {
      String p = prefix.isEmpty() ? e.getKey() : prefix + "/" + e.getKey();
      Node n = e.getValue();
      if (n instanceof Dir sub) {
        out.put(p, "dir");
        walk(p, sub, out);
      } else if (n instanceof Link l) {
        out.put(p, "link " + l.target());
      } else if (n instanceof File f) {
        out.put(p, "file " + f.content.length);
      }
    }
  }

  /**
   * Writes the tree into a real directory: files with their bytes, links with their (relative)
   * targets as stored, so that tools such as lspci can read it ({@code lspci -A linux-sysfs -O
   * sysfs.path=DIR/bus/pci}).
   */
  public void materialize(java.nio.file.Path dir) throws IOException {
    java.nio.file.Files.createDirectories(dir);
    materialize(dir, root);
  }

  private static void materialize(java.nio.file.Path dir, Dir d) throws IOException {
    for (Map.Entry<String, Node> e : d.children.entrySet()) {
      java.nio.file.Path p = dir.resolve(e.getKey());
      Node n = e.getValue();
      if (n instanceof Dir sub) {
        java.nio.file.Files.createDirectories(p);
        materialize(p, sub);
      } else if (n instanceof Link l) {
        java.nio.file.Files.deleteIfExists(p);
        java.nio.file.Files.createSymbolicLink(p, java.nio.file.Path.of(l.target()));
      } else if (n instanceof File f) {
        java.nio.file.Files.write(p, f.content);
      }
    }
  }

  static List<String> split(String path) {
    List<String> parts = new ArrayList<>();
    for (String s : path.split("/")) {
      if (!s.isEmpty()) {
        parts.add(s);
      }
    }
    return parts;
  }

  private static String parentPath(String path) {
    List<String> parts = split(path);
    return String.join("/", parts.subList(0, Math.max(0, parts.size() - 1)));
  }

  private static String name(String path) {
    List<String> parts = split(path);
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("empty path");
    }
    return parts.get(parts.size() - 1);
  }
}
