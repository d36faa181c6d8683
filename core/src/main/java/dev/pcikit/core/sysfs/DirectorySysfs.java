package dev.pcikit.core.sysfs;

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
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** A sysfs tree under a directory: the real {@code /sys}, or a tree a test or lspci reads. */
public final class DirectorySysfs implements Sysfs {
  private final Path root;

  public DirectorySysfs(Path root) {
    this.root = root;
  }

  public Path root() {
    return root;
  }

  private Path resolve(String path) throws IOException {
    if (path.startsWith("/")
        || path.equals("..")
        || path.startsWith("../")
        || path.contains("/../")
        || path.endsWith("/..")) {
      throw new SysfsException(Errno.EINVAL, path, "path leaves the sysfs root");
    }
    return path.isEmpty() ? root : root.resolve(path);
  }

  @Override
  public String readText(String path) throws IOException {
    return new String(readBytes(path, 1 << 20), StandardCharsets.UTF_8);
  }

  @Override
  public byte[] readBytes(String path, int max) throws IOException {
    Path p = resolve(path);
    // FileInputStream: open, read, close. The NIO channel stream costs extra calls per file,
    // which shows on hosts with thousands of functions and dozens of attributes each.
    try (InputStream in = new java.io.FileInputStream(p.toFile())) {
      return in.readNBytes(max);
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
