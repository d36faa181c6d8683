package dev.pcikit.sim.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.sim.DeviceTree;
import dev.pcikit.sim.HostSysfs;
import dev.pcikit.sim.TestHosts;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * pcikit never writes a snapshot its own reader refuses, and what it writes reads back the same:
 * attribute content with control characters, odd spacing and marker-like text.
 */
class OddContentSnapshotTest {
  static final List<String> ODD =
      List.of(
          "\u001b]0;pwned\u0007\u001b[2J\n",
          "nul\u0000inside\n",
          "cr\rline\n",
          "  leading and trailing spaces  \n",
          "=====END PCI SYSFS SNAPSHOT=====\n",
          "| looks like a T line\n",
          "# a comment?\n",
          "two\nlines\n",
          "\n",
          "",
          "no newline",
          "\u202ebidi\u2066 ünïcödé\n",
          "\u0085c1\n");

  @Test
  void oddAttributeContentRoundTripsAndPrintsSafely() throws Exception {
    HostSysfs fs = SnapshotReader.read(SysfsRecorder.record(TestHosts.sample().boot()), "sample");
    DeviceTree tree = new DeviceTree(fs);
    String bdf = tree.bdfs().get(0);
    for (String content : ODD) {
      fs.putFile(tree.dir(bdf) + "/driver_override", content.getBytes(StandardCharsets.UTF_8));
      String text = SysfsRecorder.recordChecked(fs);
      HostSysfs back = SnapshotReader.read(text, "back");
      assertThat(
              new String(
                  back.readBytes(tree.dir(bdf) + "/driver_override", 4096), StandardCharsets.UTF_8))
          .as("content %s", content)
          .isEqualTo(content);
      // printable as it is: nothing the terminal-safe writer would have to change
      assertThat(
              text.codePoints()
                  .noneMatch(
                      c ->
                          c != '\n'
                              && c != '\t'
                              && dev.pcikit.core.text.SafeText.unsafeForTerminal(c)))
          .isTrue();
    }
  }

  static String sample() {
    try {
      return SysfsRecorder.record(TestHosts.sample().boot());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void aDuplicateRecordIsAnErrorNamingBothLines() {
    String text = sample();
    String[] lines = text.split("\n");
    int a = 0;
    while (!lines[a].startsWith("A ")) {
      a++;
    }
    String dup =
        text.replace(
            lines[a] + "\n", lines[a] + "\n" + lines[a].replaceFirst(" [^ ]*$", " other") + "\n");
    try {
      SnapshotReader.read(dup, "dup.snapshot");
      throw new AssertionError("accepted");
    } catch (PcikitException e) {
      assertThat(e.failure()).isEqualTo(Failure.BAD_INPUT);
      assertThat(e.getMessage())
          .contains("dup.snapshot line " + (a + 2))
          .contains("recorded twice (first on line " + (a + 1) + ")");
    }
  }

  @Test
  void aHugeVersionIsANewerVersion() {
    String text = sample();
    String v = text.replace("SNAPSHOT v2=====", "SNAPSHOT v99999999999999999999=====");
    try {
      SnapshotReader.read(v, "v.snapshot");
      throw new AssertionError("accepted");
    } catch (PcikitException e) {
      assertThat(e.getMessage())
          .contains("is format v99999999999999999999, newer than this pcikit");
    }
  }
}
