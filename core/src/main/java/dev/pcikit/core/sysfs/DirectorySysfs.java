package dev.pcikit.core.sysfs;

import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** A sysfs tree under a directory: the real {@code /sys}, or a tree a test or lspci reads. */
public final class DirectorySysfs implements Sysfs {
  private final Path root;

  /** The root as a string without a trailing '/': file names are built by concatenation. */
  private final String rootPrefix;

  public DirectorySysfs(Path root) {
    this.root = root;
    String r = root.toString();
    this.rootPrefix = r.endsWith("/") ? r.substring(0, r.length() - 1) : r;
  }

  public Path root() {
    return root;
  }

  private Path resolve(String path) throws IOException {
    check(path);
    return path.isEmpty() ? root : root.resolve(path);
  }

  /** The file name of a path below the root, without building a Path (the hot read path). */
  private String file(String path) throws IOException {
    check(path);
    return path.isEmpty() ? root.toString() : rootPrefix + "/" + path;
  }

  private static void check(String path) throws IOException {
    if (path.startsWith("/")
        || path.equals("..")
        || path.startsWith("../")
        || path.contains("/../")
        || path.endsWith("/..")) {
      throw new SysfsException(Errno.EINVAL, path, "path leaves the sysfs root");
    }
  }

  @Override
  public String readText(String path) throws IOException {
    return new String(readBytes(path, 1 << 20), StandardCharsets.UTF_8);
  }

  @Override
  public byte[] readBytes(String path, int max) throws IOException {
    String file = file(path);
    // FileInputStream: open, read, close. The NIO channel stream costs extra calls per file,
    // which shows on hosts with thousands of functions and dozens of attributes each; so do
    // readNBytes/readAllBytes, which ask the file's size and position first (fstat, two lseeks)
    // and a sysfs attribute reports 4096 whatever it holds. Plain reads until EOF or max.
    try (InputStream in = new FileInputStream(file)) {
      byte[] buf = new byte[Math.min(max, 4096)];
      int n = 0;
      while (n < max) {
        if (n == buf.length) {
          buf = Arrays.copyOf(buf, (int) Math.min(max, 2L * buf.length));
        }
        int r = in.read(buf, n, buf.length - n);
        if (r < 0) {
          break;
        }
        n += r;
      }
      return n == buf.length ? buf : Arrays.copyOf(buf, n);
    } catch (IOException e) {
      throw translate(path, e);
    }
  }

  @Override
  public Optional<String> readLink(String path) throws IOException {
    Path p = resolve(path);
    try {
      return Optional.of(Files.readSymbolicLink(p).toString()); // one readlink(2)
    } catch (java.nio.file.NotLinkException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw translate(path, e);
    }
  }

  @Override
  public List<String> list(String path) throws IOException {
    // File.list: opendir/readdir and plain strings, no Path per entry and no fcntl/dup of the
    // directory stream. It cannot say why it failed: then NIO lists again and tells.
    String[] plain = new File(file(path)).list();
    if (plain != null) {
      Arrays.sort(plain);
      return new ArrayList<>(Arrays.asList(plain));
    }
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(resolve(path))) {
      for (Path p : ds) {
        names.add(p.getFileName().toString());
      }
    } catch (IOException e) {
      throw translate(path, e);
    }
    Collections.sort(names);
    return names;
  }

  @Override
  public boolean exists(String path) {
    try {
      return Files.exists(resolve(path), LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void write(String path, String value) throws IOException {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    // One write(2): sysfs store() handlers see exactly one buffer. No O_CREAT, no truncation
    // semantics beyond what the kernel gives.
    try (FileOutputStream out = new FileOutputStream(resolve(path).toFile(), false)) {
      out.write(bytes);
    } catch (IOException e) {
      throw translate(path, e);
    }
  }

  private static IOException translate(String path, IOException e) {
    if (e instanceof SysfsException) {
      return e;
    }
    if (e instanceof NoSuchFileException) {
      return new SysfsException(Errno.ENOENT, path);
    }
    Optional<Errno> errno = SysfsException.errnoOf(e);
    return errno.<IOException>map(x -> new SysfsException(x, path)).orElse(e);
  }
}
