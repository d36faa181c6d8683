package dev.pcikit.core.holders;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The processes holding {@code /dev/vfio/N} open, from {@code ROOT/proc/PID/fd} links, with their
 * {@code comm} and {@code cmdline} (NUL-separated arguments, read up to {@link #MAX_CMDLINE}
 * bytes). Processes that exit meanwhile or are not readable (not root) are skipped.
 */
final class ProcGroupHolders {
  static final int MAX_CMDLINE = 16 * 1024;
  static final int MAX_FDS_PER_PROCESS = 1 << 16;

  private final Path proc;

  public ProcGroupHolders(Path proc) {
    this.proc = proc;
  }

  /** Group number → holders, in pid order. */
  public Map<Integer, List<GroupHolder>> read() {
    Map<Integer, List<GroupHolder>> out = new TreeMap<>();
    if (!Files.isDirectory(proc)) {
      return out;
    }
    List<Path> pids = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(proc, "[0-9]*")) {
      ds.forEach(pids::add);
    } catch (IOException e) {
      return out;
    }
    pids.sort((a, b) -> Long.compare(pidOf(a), pidOf(b)));
    for (Path pid : pids) {
      long p = pidOf(pid);
      if (p <= 0 || p > Integer.MAX_VALUE) {
        continue;
      }
      List<Integer> groups = groups(pid.resolve("fd"));
      if (groups.isEmpty()) {
        continue;
      }
      GroupHolder h = new GroupHolder((int) p, comm(pid), cmdline(pid), Optional.empty());
      for (int g : groups) {
        List<GroupHolder> l = out.computeIfAbsent(g, k -> new ArrayList<>());
        if (l.stream().noneMatch(x -> x.pid() == h.pid())) {
          l.add(h);
        }
      }
    }
    return out;
  }

  private static long pidOf(Path p) {
    try {
      return Long.parseLong(p.getFileName().toString());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static List<Integer> groups(Path fd) {
    List<Integer> out = new ArrayList<>();
    if (!Files.isDirectory(fd)) {
      return out;
    }
    int n = 0;
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(fd)) {
      for (Path f : fds) {
        if (++n > MAX_FDS_PER_PROCESS) {
          break;
        }
        String t;
        try {
          t = Files.readSymbolicLink(f).toString();
        } catch (IOException | UnsupportedOperationException e) {
          continue;
        }
        if (t.startsWith("/dev/vfio/") && t.substring(10).matches("[0-9]{1,9}")) {
          int g = Integer.parseInt(t.substring(10));
          if (!out.contains(g)) {
            out.add(g);
          }
        }
      }
    } catch (IOException e) {
      // EACCES (another user's process) or gone
    }
    return out;
  }

  private static String comm(Path pid) {
    return read(pid.resolve("comm"), 64).strip();
  }

  private static String cmdline(Path pid) {
    return read(pid.resolve("cmdline"), MAX_CMDLINE).replace('\0', ' ').strip();
  }

  private static String read(Path f, int max) {
    if (!Files.isRegularFile(f)) {
      return "";
    }
    try (InputStream in = Files.newInputStream(f)) {
      return new String(in.readNBytes(max), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
