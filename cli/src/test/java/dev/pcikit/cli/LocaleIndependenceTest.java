package dev.pcikit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.sim.DemoStateDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What pcikit prints does not depend on the JVM's default locale (taken from LANG / LC_ALL): an
 * admin whose locale is Arabic or Persian would otherwise get Arabic-Indic digits from {@code %d}
 * in lspci-style lines, libvirt XML and QEMU arguments, and a Turkish locale lower-cases {@code I}
 * to a dotless {@code ı} in step and enum names. Every command is run under such locales and
 * compared with its output under {@link Locale#ROOT}.
 */
class LocaleIndependenceTest {
  @RegisterExtension final DemoStateDir state = new DemoStateDir();

  static final List<Locale> LOCALES =
      List.of(
          Locale.forLanguageTag("ar-EG"),
          Locale.forLanguageTag("fa-IR"),
          Locale.forLanguageTag("tr-TR"),
          Locale.forLanguageTag("de-DE"),
          Locale.forLanguageTag("hi-IN-u-nu-deva"));

  private final Locale saved = Locale.getDefault();

  @TempDir Path tmp;

  @AfterEach
  void restore() {
    Locale.setDefault(saved);
  }

  static String run(String... args) {
    CliRun.Run r = CliRun.run(args);
    return "exit " + r.code() + "\n" + r.out() + "\n--- stderr\n" + r.err();
  }

  List<String[]> commands() throws IOException {
    Path pseries = tmp.resolve("pseries.yaml");
    Files.writeString(pseries, "machine: pseries\ndevices: [0001:01:00.0, 0030:01:00.0]\n");
    Path q35 = tmp.resolve("q35.yaml");
    Files.writeString(q35, "machine: q35\ndevices: [0000:01:00.0, 0000:02:00.0]\n");
    List<String[]> c = new ArrayList<>();
    for (String dev : List.of("0001:01:00.0", "0001:01:00.2", "0030:01:00.0", "0000:01:00.0")) {
      c.add(new String[] {"--host", "demo:power9", "show", dev});
      c.add(new String[] {"--host", "demo:power9", "show", dev, "-o", "json"});
    }
    c.add(new String[] {"--host", "demo:nic-farm", "show", "0000:17:00.0"});
    c.add(new String[] {"--host", "demo:x86-workstation", "show", "0000:01:00.0"});
    for (String host : List.of("power9", "x86-workstation", "s390x")) {
      c.add(new String[] {"--host", "demo:" + host, "list"});
      c.add(new String[] {"--host", "demo:" + host, "groups"});
      c.add(new String[] {"--host", "demo:" + host, "check"});
      c.add(new String[] {"--host", "demo:" + host, "check", "-o", "json"});
      c.add(new String[] {"--host", "demo:" + host, "draw", "host"});
      for (String e : List.of("dra", "nova", "kubevirt", "cloudstack")) {
        c.add(new String[] {"--host", "demo:" + host, "export", e});
      }
    }
    for (String o : List.of("summary", "libvirt", "qemu", "json")) {
      c.add(new String[] {"--host", "demo:power9", "plan", pseries.toString(), "-o", o});
      c.add(new String[] {"--host", "demo:x86-workstation", "plan", q35.toString(), "-o", o});
    }
    c.add(new String[] {"--host", "demo:power9", "draw", "plan", pseries.toString()});
    c.add(new String[] {"--host", "demo:nic-farm", "sriov", "status"});
    c.add(
        new String[] {
          "--host", "demo:nic-farm", "sriov", "enable", "0000:17:00.0", "--vfs", "4", "--dry-run"
        });
    c.add(
        new String[] {
          "--host", "demo:x86-workstation", "vfio", "bind", "0000:03:00.0", "--dry-run"
        });
    c.add(new String[] {"--host", "demo:x86-workstation", "vfio", "status"});
    c.add(new String[] {"--host", "demo:x86-workstation", "show", "nonsense"});
    return c;
  }

  @Test
  void everyCommandPrintsTheSameUnderEveryLocale() throws IOException {
    List<String[]> commands = commands();
    List<String> expected = new ArrayList<>();
    Locale.setDefault(Locale.ROOT);
    for (String[] c : commands) {
      expected.add(run(c));
    }
    for (Locale l : LOCALES) {
      Locale.setDefault(l);
      for (int i = 0; i < commands.size(); i++) {
        assertThat(run(commands.get(i)))
            .as("%s under %s", String.join(" ", commands.get(i)), l.toLanguageTag())
            .isEqualTo(expected.get(i));
      }
    }
  }
}
