package dev.pcikit.core.sysfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemorySysfsTest {
  @Test
  void resolvesRelativeLinksInTheMiddleOfPaths() throws Exception {
    MemorySysfs fs = new MemorySysfs();
    fs.putText("devices/pci0000:00/0000:00:02.0/vendor", "0x1b36\n");
    fs.putLink("bus/pci/devices/0000:00:02.0", "../../../devices/pci0000:00/0000:00:02.0");
    assertThat(fs.readText("bus/pci/devices/0000:00:02.0/vendor")).isEqualTo("0x1b36\n");
    assertThat(fs.readLink("bus/pci/devices/0000:00:02.0"))
        .contains("../../../devices/pci0000:00/0000:00:02.0");
    assertThat(fs.list("bus/pci/devices/0000:00:02.0")).containsExactly("vendor");
  }

  @Test
  void cyclesEndInAnErrorNotAHang() {
    MemorySysfs fs = new MemorySysfs();
    fs.putLink("a/loop", "../a/loop");
    assertThatThrownBy(() -> fs.list("a/loop/x")).isInstanceOf(SysfsException.class);
  }

  @Test
  void materializesWithRelativeLinksThatTheDirectoryBackendReadsBack(@TempDir Path dir)
      throws Exception {
    MemorySysfs fs = new MemorySysfs();
    fs.putText("devices/pci0000:00/0000:00:02.0/vendor", "0x1b36\n");
    fs.putLink("bus/pci/devices/0000:00:02.0", "../../../devices/pci0000:00/0000:00:02.0");
    fs.materialize(dir);
    assertThat(Files.readSymbolicLink(dir.resolve("bus/pci/devices/0000:00:02.0")).toString())
        .isEqualTo("../../../devices/pci0000:00/0000:00:02.0");
    DirectorySysfs real = new DirectorySysfs(dir);
    assertThat(real.attr("bus/pci/devices/0000:00:02.0/vendor")).contains("0x1b36");
    assertThat(real.linkName("bus/pci/devices/0000:00:02.0")).contains("0000:00:02.0");
    assertThatThrownBy(() -> real.readText("../etc/passwd")).isInstanceOf(SysfsException.class);
  }

  @Test
  void errnoIsRecoveredFromKernelMessages() {
    assertThat(Errno.fromMessage("write error: Device or resource busy")).contains(Errno.EBUSY);
    assertThat(Errno.fromMessage("Numerical result out of range")).contains(Errno.ERANGE);
    assertThat(Errno.fromMessage("all fine")).isEmpty();
  }
}
