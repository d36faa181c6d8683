package dev.pcikit.core.vfio;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@link HostUsage} from a proc tree ({@code ROOT/proc}). Missing files mean "nothing in use".
 *
 * <p>IPv4 addresses: {@code /proc/net/route} lists the connected route the kernel installs for
 * every address with a prefix, with its interface; that is the source used here (it needs no
 * netlink and reads the same under a --root tree). {@code /proc/net/fib_trie} has the addresses but
 * not their interfaces. Missed: a /32 address added with {@code noprefixroute} and no other route.
 * IPv6: {@code /proc/net/if_inet6}, link-local (scope 0x20) addresses ignored since every up
 * interface has one.
 */
public final class ProcHostUsage implements HostUsage {
  private final Path proc;

  public ProcHostUsage(Path proc) {
    this.proc = proc;
  }

  private List<String> lines(String name) throws IOException {
    Path p = proc.resolve(name);
    if (!Files.isReadable(p)) {
      return List.of();
    }
    try {
      // /proc/mounts, /proc/swaps...: a few KiB; a file under --root is bounded all the same
      return dev.pcikit.core.io.InputFiles.readLines(
          p, 16 * dev.pcikit.core.io.InputFiles.MIB, name);
    } catch (dev.pcikit.core.error.PcikitException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  private static String devName(String source) {
    return source.startsWith("/dev/") ? source.substring(5) : null;
  }

  @Override
  public Set<String> mountedBlockDevices() throws IOException {
    Set<String> out = new HashSet<>();
    for (String l : lines("mounts")) {
      String[] f = l.trim().split("\\s+");
      if (f.length > 1 && devName(f[0]) != null) {
        // /dev/mapper/NAME mounts are caught through the disk's holders (dm-N) instead
        out.add(devName(f[0]));
      }
    }
    return out;
  }

  @Override
  public Set<String> swapDevices() throws IOException {
    Set<String> out = new HashSet<>();
    List<String> ls = lines("swaps");
    for (int i = 1; i < ls.size(); i++) { // first line is the header
      String[] f = ls.get(i).trim().split("\\s+");
      if (f.length > 0 && devName(f[0]) != null) {
        out.add(devName(f[0]));
      }
    }
    return out;
  }

  private List<String[]> routes() throws IOException {
    List<String[]> out = new ArrayList<>();
    List<String> ls = lines("net/route");
    for (int i = 1; i < ls.size(); i++) {
      String[] f = ls.get(i).trim().split("\\s+");
      if (f.length >= 8) {
        out.add(f);
      }
    }
    return out;
  }

  @Override
  public Set<String> defaultRouteInterfaces() throws IOException {
    Set<String> out = new HashSet<>();
    for (String[] f : routes()) {
      // Iface Destination Gateway Flags RefCnt Use Metric Mask...; default: dest 0, mask 0
      if (f[1].equals("00000000") && f[7].equals("00000000")) {
        out.add(f[0]);
      }
    }
    return out;
  }

  @Override
  public Set<String> interfacesWithAddresses() throws IOException {
    Set<String> out = new HashSet<>();
    for (String[] f : routes()) {
      out.add(f[0]);
    }
    for (String l : lines("net/if_inet6")) {
      // address ifindex prefixlen scope flags ifname
      String[] f = l.trim().split("\\s+");
      if (f.length >= 6 && !f[3].equals("20")) {
        out.add(f[5]);
      }
    }
    out.remove("lo");
    return out;
  }

  @Override
  public Map<Integer, List<String>> openVfioGroups() throws IOException {
    Map<Integer, List<String>> out = new TreeMap<>();
    if (!Files.isDirectory(proc)) {
      return out;
    }
    try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc, "[0-9]*")) {
      for (Path pid : pids) {
        Path fd = pid.resolve("fd");
        if (!Files.isDirectory(fd) || !Files.isReadable(fd)) {
          continue;
        }
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(fd)) {
          for (Path f : fds) {
            String target;
            try {
              target = Files.readSymbolicLink(f).toString();
            } catch (IOException | UnsupportedOperationException e) {
              continue; // the process exited or the fd closed meanwhile
            }
            if (target.startsWith("/dev/vfio/") && target.substring(10).matches("[0-9]+")) {
              int g = Integer.parseInt(target.substring(10));
              String who = "pid " + pid.getFileName() + comm(pid);
              List<String> l = out.computeIfAbsent(g, k -> new ArrayList<>());
              if (!l.contains(who)) {
                l.add(who);
              }
            }
          }
        } catch (IOException e) {
          // not our process (EACCES) or gone: skip
        }
      }
    }
    return out;
  }

  private static String comm(Path pid) {
    try {
      return " ("
          + dev.pcikit.core.io.InputFiles.readUtf8(pid.resolve("comm"), 256, "comm").strip()
          + ")";
    } catch (RuntimeException e) {
      return "";
    }
  }
}
