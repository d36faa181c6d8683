package dev.pcikit.lab;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * What the x86 lab tests share: the tools lab/scripts/x86-lab.sh needs to build and boot the guest
 * (checked before a boot), and reading a finished boot's scenarios and output blocks, where every
 * failure shows the scenario's last console lines and the logs' paths.
 */
final class X86Guest {
  private X86Guest() {}

  /** Skips (or, under CI, fails) the calling test when the x86 lab cannot run here. */
  static void requireLab() {
    LabEnvironment.requireLab(
        "qemu-system-x86_64",
        "busybox",
        "cpio",
        "zstd",
        "gcc",
        "lspci",
        "depmod",
        "apt-get",
        "dpkg",
        "xz",
        "jlink");
  }

  /** Scenario NAME of the boot, which must have finished and exited 0. */
  static LabScenario passed(LabBoot.Result boot, String name) {
    LabConsole console = boot.console();
    String context = LabBoot.context(console, name, boot.runLog());
    if (!console.done()) {
      fail("the x86 guest did not finish (script exit " + boot.exitCode() + ")\n" + context);
    }
    LabScenario s =
        console
            .scenario(name)
            .orElseThrow(() -> new AssertionError("scenario not run in the guest\n" + context));
    if (s.rc() != 0) {
      fail("scenario exited with " + s.rc() + "\n" + context);
    }
    return s;
  }

  /** The output block NAME of scenario S, which must be there. */
  static LabScenario.Block block(LabBoot.Result boot, LabScenario s, String name) {
    return s.file(name)
        .orElseThrow(
            () ->
                new AssertionError(
                    "no output block '"
                        + name
                        + "'\n"
                        + LabBoot.context(boot.console(), s.name(), boot.runLog())));
  }
}
