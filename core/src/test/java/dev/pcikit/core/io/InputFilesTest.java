package dev.pcikit.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.sysfs.DirectorySysfs;
import dev.pcikit.core.sysfs.SysfsException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Untrusted files: only regular files are opened, with a bound. The FIFOs are real ones (mkfifo);
 * the timeouts only guard against a hang (an open(2) on a FIFO without a writer never returns).
 */
// a separate thread: an open(2) blocked on a FIFO does not answer to an interrupt
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class InputFilesTest {
  @TempDir Path dir;

  static Path fifo(Path p) throws Exception {
    Process mk = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
    assertThat(mk.waitFor()).isZero();
    return p;
  }

  static Failure code(Runnable r) {
    try {
      r.run();
    } catch (PcikitException e) {
      return e.failure();
    }
    throw new AssertionError("no error");
  }

  @Test
  void aFifoIsRefusedUnopened() throws Exception {
    Path f = fifo(dir.resolve("snap"));
    assertThatThrownBy(() -> InputFiles.read(f, 100, "snapshot"))
        .isInstanceOf(PcikitException.class)
        .hasMessage("snapshot " + f + " is a FIFO, not a regular file; not read");
    assertThatThrownBy(() -> InputFiles.open(f, "file")).hasMessageContaining("is a FIFO");
  }

  @Test
  void aDeviceNodeIsRefused() {
    Path zero = Path.of("/dev/zero");
    assertThatThrownBy(() -> InputFiles.read(zero, 100, "pci.ids file"))
        .hasMessage("pci.ids file /dev/zero is a character device, not a regular file; not read");
    assertThat(code(() -> InputFiles.read(zero, 100, "x"))).isEqualTo(Failure.BAD_INPUT);
  }

  @Test
  void aFileOverTheBoundIsRefusedBeforeItIsRead() throws IOException {
    Path big = dir.resolve("big");
    try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
      f.setLength(900L << 20); // sparse: 900 MiB that take no disk
    }
    assertThatThrownBy(() -> InputFiles.read(big, 64 << 20, "snapshot"))
        .hasMessage("snapshot " + big + " is larger than 64 MiB (the bound for a snapshot)");
    Files.writeString(dir.resolve("ok"), "12345");
    assertThat(InputFiles.read(dir.resolve("ok"), 5, "x")).hasSize(5);
    assertThatThrownBy(() -> InputFiles.read(dir.resolve("ok"), 4, "x"))
        .hasMessageContaining("larger than 4 bytes");
  }

  @Test
  void missingIsNotFoundDirectoryAndBadUtf8AreBadInput() throws IOException {
    assertThat(code(() -> InputFiles.read(dir.resolve("nope"), 10, "spec")))
        .isEqualTo(Failure.NOT_FOUND);
    assertThatThrownBy(() -> InputFiles.read(dir, 10, "spec"))
        .hasMessage("spec " + dir + " is a directory, not a regular file; not read");
    Files.write(dir.resolve("bin"), new byte[] {(byte) 0xff, (byte) 0xfe});
    assertThatThrownBy(() -> InputFiles.readUtf8(dir.resolve("bin"), 10, "spec"))
        .hasMessageContaining("invalid UTF-8");
  }

  @Test
  void readLinesEndsAtTheLastNewline() throws IOException {
    Files.writeString(dir.resolve("l"), "a\nb\n");
    assertThat(InputFiles.readLines(dir.resolve("l"), 100, "x")).containsExactly("a", "b");
    Files.writeString(dir.resolve("l"), "a\n\nb");
    assertThat(InputFiles.readLines(dir.resolve("l"), 100, "x")).containsExactly("a", "", "b");
  }

  @Test
  void aFifoAttributeUnderARootIsAnErrorNotAHang() throws Exception {
    Files.createDirectories(dir.resolve("devices/0000:00:00.0"));
    fifo(dir.resolve("devices/0000:00:00.0/config"));
    DirectorySysfs fs = new DirectorySysfs(dir);
    assertThatThrownBy(() -> fs.readBytes("devices/0000:00:00.0/config", 4096))
        .isInstanceOf(SysfsException.class)
        .hasMessageContaining("a FIFO, not an attribute");
    assertThatThrownBy(() -> fs.readText("devices/0000:00:00.0"))
        .hasMessageContaining("Is a directory");
  }
}
