package dev.pcikit.core.vfio;

import dev.pcikit.core.model.PciAddress;
import dev.pcikit.core.sysfs.Sysfs;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The block devices and network interfaces that a PCI function provides, found by walking its sysfs
 * directory (links not followed, other PCI functions below a bridge skipped):
 *
 * <ul>
 *   <li>a directory inside a {@code block/} directory is a disk (SCSI/SATA: {@code
 *       host0/target0:0:0/0:0:0:0/block/sda}; virtio: {@code virtio1/block/vda});
 *   <li>NVMe: {@code nvme/nvme0/nvme0n1}; with native multipath the function only has the hidden
 *       path {@code nvme0c0n1}, whose disk is {@code nvme0n1} (drivers/nvme/host/multipath.c names
 *       it {@code nvme<subsys>n<ns>});
 *   <li>partitions are subdirectories of a disk that have a {@code partition} attribute;
 *   <li>a directory inside a {@code net/} directory is a network interface.
 * </ul>
 */
final class DeviceChildren {
  private static final Pattern NVME_PATH = Pattern.compile("nvme(\\d+)c\\d+n(\\d+)");
  private static final Pattern NVME_DISK = Pattern.compile("nvme\\d+n\\d+");
  private static final int MAX_DEPTH = 8;

  /** Directories below a function on the way to a disk or an interface. */
  private static final Pattern CONTAINER =
      Pattern.compile(
          "block|net|nvme|nvme\\d+|host\\d+|target\\d+:\\d+:\\d+|\\d+:\\d+:\\d+:\\d+|ata\\d+"
              + "|virtio\\d+|usb\\d+|\\d+-[\\d.]+(:\\d+\\.\\d+)?|port\\d+|end_device-[\\d:]+"
              + "|expander-[\\d:]+|rport-[\\d:-]+|mmc_host|mmc\\d+(:\\w+)?");

  /** A disk or partition, with its sysfs directory (for holders). */
  public record Block(String name, String path) {}

  private final List<Block> blocks = new ArrayList<>();
  private final Set<String> interfaces = new TreeSet<>();

  private DeviceChildren() {}

  public static DeviceChildren of(Sysfs sysfs, PciAddress a) throws IOException {
    DeviceChildren c = new DeviceChildren();
    String dir = DeviceReader.dir(a);
    if (sysfs.exists(dir)) {
      c.walk(sysfs, dir, "", 0);
    }
    return c;
  }

  public List<Block> blocks() {
    return blocks;
  }

  public Set<String> interfaces() {
    return interfaces;
  }

  private void walk(Sysfs sysfs, String path, String parentName, int depth) throws IOException {
    if (depth > MAX_DEPTH) {
      return;
    }
    List<String> names;
    try {
      names = sysfs.list(path);
    } catch (IOException e) {
      return;
    }
    for (String n : names) {
      String p = path + "/" + n;
      boolean inBlockOrNet = parentName.equals("block") || parentName.equals("net");
      if (!inBlockOrNet
          && !NVME_DISK.matcher(n).matches()
          && !NVME_PATH.matcher(n).matches()
          && !CONTAINER.matcher(n).matches()) {
        continue;
      }
      if (PciAddress.isAddress(n) || isLink(sysfs, p) || !isDir(sysfs, p)) {
        continue;
      }
      if (parentName.equals("block") || NVME_DISK.matcher(n).matches()) {
        addDisk(sysfs, n, p);
        continue;
      }
      Matcher m = NVME_PATH.matcher(n);
      if (m.matches()) {
        String disk = "nvme" + m.group(1) + "n" + m.group(2);
        addDisk(sysfs, disk, "block/" + disk);
        continue;
      }
      if (parentName.equals("net")) {
        interfaces.add(n);
        continue;
      }
      walk(sysfs, p, n, depth + 1);
    }
  }

  private void addDisk(Sysfs sysfs, String name, String path) throws IOException {
    blocks.add(new Block(name, path));
    if (!sysfs.exists(path)) {
      return;
    }
    for (String n : sysfs.list(path)) {
      String p = path + "/" + n;
      if (!isLink(sysfs, p) && sysfs.exists(p + "/partition")) {
        blocks.add(new Block(n, p));
      }
    }
  }

  /** Holders of a disk or partition (dm-0, md127: LVM, device mapper, RAID). */
  public static List<String> holders(Sysfs sysfs, Block b) {
    try {
      String h = b.path() + "/holders";
      return sysfs.exists(h) ? sysfs.list(h) : List.of();
    } catch (IOException e) {
      return List.of();
    }
  }

  private static boolean isLink(Sysfs sysfs, String p) {
    try {
      return sysfs.readLink(p).isPresent();
    } catch (IOException e) {
      return true;
    }
  }

  private static boolean isDir(Sysfs sysfs, String p) {
    try {
      sysfs.list(p);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
