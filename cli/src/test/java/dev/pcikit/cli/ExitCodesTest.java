package dev.pcikit.cli;

import static dev.pcikit.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.pcikit.cli.CliRun.Run;
import dev.pcikit.core.vfio.HostLock;
import dev.pcikit.sim.DemoStateDir;
import dev.pcikit.sim.demo.DemoHosts;
import dev.pcikit.sim.snapshot.TreeMaterializer;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every documented exit code (docs/exit-codes.md), each case run through the CLI's one-line error
 * handling: the code, one "pcikit: " line naming the problem, nothing else on stderr. Files that
 * would hang a naive reader are real FIFOs; the per-case timeout only guards against a hang.
 */
class ExitCodesTest {
  @TempDir static Path dir;
  static Path root;
  @RegisterExtension final DemoStateDir state = new DemoStateDir();

  static Path fifo(String name) throws Exception {
    Path p = dir.resolve(name);
    assertThat(new ProcessBuilder("mkfifo", p.toString()).start().waitFor()).isZero();
    return p;
  }

  static Path file(String name, String content) throws Exception {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
    return p;
  }

  @BeforeAll
  static void setUp() throws Exception {
    root = dir.resolve("root");
    TreeMaterializer.materialize(DemoHosts.load("x86-workstation"), root.resolve("sys"));
  }

  /** One row: the arguments, the documented code, a part of the one error line. */
  record Case(String name, int code, String errPart, Callable<String[]> args) {}

  static List<Case> cases() {
    List<Case> c = new ArrayList<>();
    String r = "--root";
    // 0
    c.add(new Case("a listing", 0, "", () -> a("--host", "demo:power9", "list")));
    // 2: usage
    c.add(new Case("unknown option", 2, "Unknown option", () -> a("list", "--frobnicate")));
    c.add(
        new Case(
            "malformed BDF in show",
            2,
            "invalid bus number 'zz'",
            () -> a("--host", "demo:power9", "show", "zz:zz.z")));
    c.add(
        new Case(
            "negative selector",
            2,
            "invalid bus number '-1'",
            () -> a("--host", "demo:power9", "list", "-s", "0:-1:0.0")));
    c.add(
        new Case(
            "malformed slot selector",
            2,
            "invalid",
            () -> a("--host", "demo:power9", "list", "-s", "0:g:0.0")));
    c.add(
        new Case(
            "negative lock timeout",
            2,
            "--lock-timeout takes 0 or more",
            () ->
                a(
                    r,
                    root.toString(),
                    "vfio",
                    "bind",
                    "--dry-run",
                    "--lock-timeout",
                    "-1",
                    "03:00.0")));
    c.add(
        new Case(
            "--vfs beyond sriov_totalvfs",
            2,
            "supports 1..",
            () ->
                a("--host", "demo:nic-farm", "sriov", "enable", "0000:17:00.0", "--vfs", "99999")));
    c.add(
        new Case(
            "--root with --host",
            2,
            "cannot be used together",
            () -> a(r, root.toString(), "--host", "demo:power9", "list")));
    c.add(
        new Case(
            "--state-dir is a file",
            2,
            "not a directory",
            () ->
                a(
                    r,
                    root.toString(),
                    "vfio",
                    "status",
                    "--state-dir",
                    file("plain", "x").toString())));
    c.add(
        new Case(
            "materialize into a file",
            2,
            "not a directory",
            () -> a("snapshot", "materialize", "demo:power9", file("plain2", "x").toString())));
    // 3: not found
    c.add(
        new Case(
            "missing snapshot",
            3,
            "does not exist",
            () -> a("--host", dir.resolve("nope.snapshot").toString(), "list")));
    c.add(new Case("unknown demo host", 3, "no demo host", () -> a("--host", "demo:nope", "list")));
    c.add(
        new Case(
            "absent device",
            3,
            "no PCI device",
            () -> a("--host", "demo:power9", "show", "0000:77:00.0")));
    c.add(
        new Case(
            "missing guest spec",
            3,
            "does not exist",
            () -> a("--host", "demo:power9", "plan", dir.resolve("nope.yaml").toString())));
    // 4: input that cannot be read
    c.add(
        new Case(
            "--host /dev/zero",
            4,
            "snapshot /dev/zero is a character device",
            () -> a("--host", "/dev/zero", "list")));
    c.add(
        new Case(
            "--pci-ids /dev/zero",
            4,
            "pci.ids file /dev/zero is a character device",
            () -> a("--host", "demo:power9", "--pci-ids", "/dev/zero", "list")));
    c.add(
        new Case(
            "--host FIFO",
            4,
            "is a FIFO",
            () -> a("--host", fifo("host.fifo").toString(), "list")));
    c.add(
        new Case(
            "--pci-ids FIFO",
            4,
            "is a FIFO",
            () -> a("--host", "demo:power9", "--pci-ids", fifo("ids.fifo").toString(), "list")));
    c.add(
        new Case(
            "guest spec FIFO",
            4,
            "guest spec",
            () -> a("--host", "demo:power9", "plan", fifo("spec.fifo").toString())));
    c.add(
        new Case(
            "domain XML FIFO",
            4,
            "domain XML",
            () ->
                a(
                    "--host",
                    "demo:power9",
                    "plan",
                    file("ok.yaml", "machine: pseries\ndevices: []\n").toString(),
                    "--domain",
                    fifo("dom.fifo").toString())));
    c.add(
        new Case(
            "snapshot is a directory",
            4,
            "is a directory",
            () -> a("--host", dir.toString(), "list")));
    c.add(
        new Case(
            "900 MB snapshot",
            4,
            "larger than 64 MiB",
            () -> a("--host", sparse("big.snapshot", 900L << 20).toString(), "list")));
    c.add(
        new Case(
            "20 MB guest spec",
            4,
            "larger than 1 MiB",
            () -> a("--host", "demo:power9", "plan", sparse("big.yaml", 20L << 20).toString())));
    c.add(
        new Case(
            "huge snapshot version",
            4,
            "newer than this pcikit",
            () ->
                a(
                    "--host",
                    file("v.snapshot", "=====BEGIN PCI SYSFS SNAPSHOT v99999999999999999999=====\n")
                        .toString(),
                    "list")));
    c.add(
        new Case(
            "YAML duplicate key",
            4,
            "Duplicate",
            () ->
                a(
                    "--host",
                    "demo:power9",
                    "plan",
                    file("dup.yaml", "machine: pseries\nmachine: q35\ndevices: []\n").toString())));
    c.add(
        new Case(
            "YAML alias",
            4,
            "anchors and aliases",
            () ->
                a(
                    "--host",
                    "demo:power9",
                    "plan",
                    file("alias.yaml", "machine: &m pseries\nname: *m\ndevices: []\n")
                        .toString())));
    c.add(
        new Case(
            "guest name with ESC",
            4,
            "guest name",
            () ->
                a(
                    "--host",
                    "demo:power9",
                    "plan",
                    file("esc.yaml", "machine: pseries\nname: \"a\\e[31mb\"\ndevices: []\n")
                        .toString())));
    c.add(
        new Case(
            "corrupt journal",
            4,
            "then move the file aside",
            () -> {
              file(
                  "root/var/lib/pcikit/journal",
                  "pcikit-journal 1\nop bind\nphase run\ndevice 0000:03:00.0 x\n");
              return a(r, root.toString(), "recover");
            }));
    c.add(
        new Case(
            "corrupt bindings file",
            4,
            "bindings is corrupt",
            () -> {
              file("root/var/lib/pcikit/bindings", "pcikit-bindings 1\n0000:03:00.0 vfio-pci\n");
              return a(
                  r,
                  root.toString(),
                  "vfio",
                  "status",
                  "--state-dir",
                  dir.resolve("root/var/lib/pcikit").toString());
            }));
    c.add(
        new Case(
            "journal is a FIFO",
            4,
            "journal",
            () -> {
              Files.createDirectories(dir.resolve("fstate"));
              fifo("fstate/journal");
              return a(
                  r, root.toString(), "recover", "--state-dir", dir.resolve("fstate").toString());
            }));
    // 5: refused by a safety rule
    c.add(
        new Case(
            "group shared with another driver",
            5,
            "shared with",
            () -> a("--host", "demo:x86-workstation", "vfio", "bind", "01:00.0")));
    // 7: locked
    c.add(
        new Case(
            "held lock",
            7,
            "another pcikit",
            () -> a(r, lockedRoot().toString(), "vfio", "bind", "--lock-timeout", "0", "03:00.0")));
    // 8: incomplete inventory
    c.add(
        new Case(
            "attribute that is a FIFO",
            8,
            "a FIFO, not an attribute",
            () -> a(r, fifoRoot().toString(), "list")));
    // 10: check found a blocking problem
    c.add(
        new Case(
            "check on a bridge",
            10,
            "",
            () -> a("--host", "demo:x86-workstation", "check", "00:01.0")));
    return c;
  }

  static String[] a(String... s) {
    return s;
  }

  static Path sparse(String name, long size) throws Exception {
    Path p = dir.resolve(name);
    try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
      f.setLength(size);
    }
    return p;
  }

  static HostLock held;

  static Path lockedRoot() throws Exception {
    if (held == null) {
      held = HostLock.acquire(root.resolve("run/pcikit"), Duration.ofSeconds(1));
    }
    return root;
  }

  static Path fifoRoot() throws Exception {
    Path fr = dir.resolve("fifo-root");
    if (!Files.exists(fr)) {
      TreeMaterializer.materialize(DemoHosts.load("power9"), fr.resolve("sys"));
      Path dev = fr.resolve("sys/bus/pci/devices/0000:01:00.0").toRealPath();
      Files.delete(dev.resolve("config"));
      assertThat(new ProcessBuilder("mkfifo", dev.resolve("config").toString()).start().waitFor())
          .isZero();
    }
    return fr;
  }

  @TestFactory
  Stream<DynamicTest> everyDocumentedExitCode() {
    return cases().stream()
        .map(
            k ->
                DynamicTest.dynamicTest(
                    k.code() + ": " + k.name(),
                    () -> {
                      String[] args = k.args().call();
                      Run res = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> run(args));
                      assertThat(res.code()).as(res.err()).isEqualTo(k.code());
                      assertThat(res.err()).contains(k.errPart());
                      if (k.code() != 0 && k.code() != 8 && k.code() != 10) {
                        assertThat(res.err().lines().filter(l -> !l.startsWith("Try ")))
                            .as(res.err())
                            .hasSize(1)
                            .allMatch(l -> l.startsWith("pcikit: "));
                      }
                    }));
  }

  @AfterAll
  static void release() throws Exception {
    if (held != null) {
      held.close();
    }
  }

  @Test
  void aFileWhereTheDemoStateDirectoryShouldBeIsAUsageError() throws Exception {
    Path plain = file("state-file", "not a directory");
    // by hand, over the extension's directory: the extension puts the property back afterwards
    System.setProperty("pcikit.stateDir", plain.toString());
    Run res = run("--host", "demo:power9", "list");
    assertThat(res.code()).as(res.err()).isEqualTo(2);
    assertThat(res.err()).startsWith("pcikit: demo state directory").contains("not a directory");
  }

  @Test
  void aLockFileThatIsALinkIsRefusedAndItsTargetKept() throws Exception {
    Path lr = dir.resolve("lockroot");
    Files.createDirectories(lr.resolve("sys/bus/pci/devices"));
    Files.createDirectories(lr.resolve("run/pcikit"));
    Path victim = file("victim", "keep me\n");
    Files.createSymbolicLink(lr.resolve("run/pcikit/lock"), victim);
    Run res = run("--root", lr.toString(), "recover");
    assertThat(res.code()).as(res.err()).isEqualTo(4);
    assertThat(res.err()).contains("lock file").contains("a symbolic link");
    assertThat(Files.readString(victim)).isEqualTo("keep me\n");
  }

  /** A command that fails with an Error: one line, exit 1, the trace only with --stacktrace. */
  @CommandLine.Command(name = "boom")
  static final class Boom implements Runnable {
    @CommandLine.Option(names = "--oom")
    boolean oom;

    @Override
    public void run() {
      if (oom) {
        throw new OutOfMemoryError("Java heap space");
      }
      throw new StackOverflowError();
    }
  }

  static Run boom(String... args) {
    CommandLine cl = Main.commandLine();
    cl.addSubcommand("boom", new Boom());
    return CliRun.run(cl, args);
  }

  @Test
  void anErrorIsOneLineAndTheInternalErrorCode() {
    Run so = boom("boom");
    assertThat(so.code()).isEqualTo(1);
    assertThat(so.err().lines()).hasSize(1);
    assertThat(so.err()).startsWith("pcikit: internal error: java.lang.StackOverflowError");
    Run oom = boom("boom", "--oom");
    assertThat(oom.code()).isEqualTo(1);
    assertThat(oom.err()).startsWith("pcikit: internal error: out of memory").hasLineCount(1);
    Run traced = boom("boom", "--stacktrace");
    assertThat(traced.err().lines().count()).isGreaterThan(1);
  }
}
