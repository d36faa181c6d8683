package dev.pcikit.core.sysfs;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;

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
    // Every sysfs attribute is a regular file. Anything else under a --root tree (a FIFO, whose
    // open(2) blocks until a writer comes; /dev/zero, which never ends) is refused unopened:
    // one stat(2) per read, on the hot path, without building a Path.
    File f = new File(file);
    if (!f.isFile()) {
      refuseNonRegular(path, f);
    }
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

  /**
   * Writes one attribute like {@code echo VALUE > ROOT/PATH}, but never outside the root and never
   * creating anything: the path's links are resolved first (sysfs paths go through links: {@code
   * bus/pci/devices/BDF/driver/unbind}) and the real file must be inside the root's real path and a
   * regular file (a sysfs attribute is one; a FIFO would block the open). A missing attribute is
   * ENOENT, as the kernel answers (sysfs has no O_CREAT). The open itself does not follow a link in
   * the last element (O_NOFOLLOW), so a link swapped in after the check is not written through.
   */
  @Override
  public void write(String path, String value) throws IOException {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    Path real = realInsideRoot(path);
    // One write(2): sysfs store() handlers see exactly one buffer.
    try (SeekableByteChannel out =
        Files.newByteChannel(
            real,
            Set.of(
                StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING,
                LinkOption.NOFOLLOW_LINKS))) {
      out.write(ByteBuffer.wrap(bytes));
    } catch (IOException e) {
      throw translate(path, e);
    }
  }

  /** Why a path that is not a regular file cannot be read, as the kernel would say it. */
  private static void refuseNonRegular(String path, File f) throws IOException {
    Path p = f.toPath();
    java.nio.file.attribute.BasicFileAttributes a;
    try {
      a = Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class);
    } catch (IOException e) {
      throw translate(path, e);
    }
    if (a.isDirectory()) {
      throw new SysfsException(Errno.EISDIR, path);
    }
    if (!a.isRegularFile()) {
      throw new SysfsException(
          Errno.EINVAL, path, dev.pcikit.core.io.InputFiles.typeOf(p, a) + ", not an attribute");
    }
  }

  private Path realInsideRoot(String path) throws IOException {
    Path real;
    Path realRoot;
    try {
      real = resolve(path).toRealPath();
      realRoot = root.toRealPath();
    } catch (IOException e) {
      throw translate(path, e);
    }
    if (!real.startsWith(realRoot)) {
      throw new SysfsException(
          Errno.EACCES, path, "resolves to " + real + ", outside the sysfs root " + realRoot);
    }
    if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
      throw new SysfsException(Errno.EINVAL, path, "not a regular file (" + real + ")");
    }
    return real;
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
