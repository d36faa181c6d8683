package dev.pcikit.core.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.core.host.SystemHost;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The uevent source against the real udevadm (Debian's udev package, scripts/install-deps.sh): the
 * command pcikit runs is one udevadm accepts and keeps running. No uevent is provoked: that would
 * mean writing this machine's /sys.
 */
class UdevadmMonitorTest {
  @TempDir Path tmp;

  @Test
  void theLiveRootGetsUdevadmAndUdevadmAcceptsTheCommand() throws Exception {
    List<String> cmd = UdevadmMonitor.commandFor(SystemHost.of(Path.of("/"))).orElseThrow();
    assertThat(cmd.subList(1, cmd.size()))
        .containsExactly("monitor", "--kernel", "--subsystem-match=pci");
    CompletableFuture<String> ended = new CompletableFuture<>();
    try (UdevadmMonitor m = UdevadmMonitor.start(cmd, u -> {}, ended::complete)) {
      // a rejected option or a missing netlink socket ends udevadm at once
      assertThat(ended.completeOnTimeout("still running", 1500, TimeUnit.MILLISECONDS).get())
          .isEqualTo("still running");
      assertThat(m.alive()).isTrue();
    }
  }

  @Test
  void anEndedSourceIsReported() throws Exception {
    List<String> cmd = UdevadmMonitor.commandFor(SystemHost.of(Path.of("/"))).orElseThrow();
    CompletableFuture<String> ended = new CompletableFuture<>();
    try (UdevadmMonitor m =
        UdevadmMonitor.start(
            List.of(cmd.get(0), "monitor", "--no-such-option"), u -> {}, ended::complete)) {
      assertThat(ended.get(30, TimeUnit.SECONDS)).contains("ended (exit 1)");
    }
  }

  @Test
  void aCopiedTreeOrAnotherRootHasNoUeventSource() {
    assertThat(UdevadmMonitor.commandFor(SystemHost.of(tmp))).isEmpty();
  }
}
