package dev.pcikit.core.sysfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Writes under a --root tree stay in it, and create nothing, like sysfs. */
class DirectorySysfsWriteTest {
  @TempDir Path tmp;
  Path sys;
  Path outside;
  DirectorySysfs fs;

  @BeforeEach
  void tree() throws Exception {
    sys = Files.createDirectories(tmp.resolve("root/sys"));
    outside = Files.writeString(tmp.resolve("outside.txt"), "precious\n");
    Path dev = Files.createDirectories(sys.resolve("devices/pci0000:00/0000:01:00.0"));
    Files.writeString(dev.resolve("driver_override"), "(null)\n");
    Path drv = Files.createDirectories(sys.resolve("bus/pci/drivers/igb"));
    Files.writeString(drv.resolve("unbind"), "");
    Files.createDirectories(sys.resolve("bus/pci/devices"));
    Files.createSymbolicLink(
        sys.resolve("bus/pci/devices/0000:01:00.0"),
        Path.of("../../../devices/pci0000:00/0000:01:00.0"));
    Files.createSymbolicLink(dev.resolve("driver"), Path.of("../../../bus/pci/drivers/igb"));
    fs = new DirectorySysfs(sys);
  }

  @Test
  void writesGoThroughLinksInsideTheRoot() throws Exception {
    fs.write("bus/pci/devices/0000:01:00.0/driver_override", "vfio-pci");
    fs.write("bus/pci/devices/0000:01:00.0/driver/unbind", "0000:01:00.0");
    assertThat(Files.readString(sys.resolve("devices/pci0000:00/0000:01:00.0/driver_override")))
        .isEqualTo("vfio-pci");
    assertThat(Files.readString(sys.resolve("bus/pci/drivers/igb/unbind")))
        .isEqualTo("0000:01:00.0");
  }

  @Test
  void aMissingAttributeIsEnoentAndNothingIsCreated() {
    String p = "bus/pci/devices/0000:01:00.0/sriov_drivers_autoprobe";
    assertThatThrownBy(() -> fs.write(p, "0"))
        .isInstanceOfSatisfying(
            SysfsException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOENT));
    assertThat(Files.exists(sys.resolve("devices/pci0000:00/0000:01:00.0/sriov_drivers_autoprobe")))
        .isFalse();
    // the in-memory tree (and the simulated kernel on it) answers the same
    MemorySysfs mem = new MemorySysfs();
    mem.putText("devices/pci0000:00/0000:01:00.0/vendor", "0x8086\n");
    assertThatThrownBy(() -> mem.write("devices/pci0000:00/0000:01:00.0/sriov_numvfs", "1"))
        .isInstanceOfSatisfying(
            SysfsException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOENT));
    assertThat(mem.exists("devices/pci0000:00/0000:01:00.0/sriov_numvfs")).isFalse();
  }

  @Test
  void anAttributeLinkedOutsideTheRootIsNotWrittenThrough() throws Exception {
    Path dev = sys.resolve("devices/pci0000:00/0000:01:00.0");
    Files.delete(dev.resolve("driver_override"));
    Files.createSymbolicLink(dev.resolve("driver_override"), outside);
    assertThatThrownBy(() -> fs.write("bus/pci/devices/0000:01:00.0/driver_override", "x"))
        .hasMessageContaining("outside the sysfs root");
    // a directory link that leads out: driver -> ../../../../.. (above sys)
    Files.delete(dev.resolve("driver"));
    Files.createDirectories(tmp.resolve("evil"));
    Files.writeString(tmp.resolve("evil/unbind"), "precious\n");
    Files.createSymbolicLink(dev.resolve("driver"), Path.of("../../../../../evil"));
    assertThatThrownBy(() -> fs.write("bus/pci/devices/0000:01:00.0/driver/unbind", "x"))
        .hasMessageContaining("outside the sysfs root");
    assertThat(Files.readString(outside)).isEqualTo("precious\n");
    assertThat(Files.readString(tmp.resolve("evil/unbind"))).isEqualTo("precious\n");
  }

  @Test
  @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a FIFO open blocks
  void aFifoIsNotOpened() throws Exception {
    Path fifo = sys.resolve("devices/pci0000:00/0000:01:00.0/reset");
    Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertThat(p.waitFor()).isZero();
    assertThatThrownBy(() -> fs.write("bus/pci/devices/0000:01:00.0/reset", "1"))
        .hasMessageContaining("not a regular file");
  }
}
