package dev.pcikit.cli;

import dev.pcikit.core.config.ConfigDecoder;
import dev.pcikit.core.config.ConfigRenderer;
import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.model.DeviceSelector;
import dev.pcikit.core.model.PciAddress;
import dev.pcikit.core.plan.DomainXmlReader;
import dev.pcikit.core.vfio.BindingRecords;
import dev.pcikit.core.vfio.Journal;
import dev.pcikit.core.vfio.PersistedBindings;
import dev.pcikit.sim.HostSysfs;
import dev.pcikit.sim.snapshot.SnapshotReader;
import dev.pcikit.sim.snapshot.SysfsRecorder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The fuzz targets: every parser of outside input, each with its contract. A target returns
 * normally for input it accepts or refuses the documented way (a {@link PcikitException} with the
 * input's exit code, an {@link IllegalArgumentException} for a selector); anything else thrown is a
 * finding. {@code scripts/fuzz.sh} runs them under Jazzer (the classes in {@code
 * dev.pcikit.cli.fuzz}); {@link FuzzRegressionTest} replays the inputs kept under {@code
 * src/test/resources/fuzz/TARGET/} in every normal test run.
 */
public final class Fuzz {
  private Fuzz() {}

  /** Target name → target; the names are the regression-input directories. */
  public static final Map<String, Consumer<byte[]>> TARGETS = new LinkedHashMap<>();

  static {
    TARGETS.put("snapshot", Fuzz::snapshot);
    TARGETS.put("guest-spec", Fuzz::guestSpec);
    TARGETS.put("domain-xml", Fuzz::domainXml);
    TARGETS.put("config-space", Fuzz::configSpace);
    TARGETS.put("selectors", Fuzz::selectors);
    TARGETS.put("state-files", Fuzz::stateFiles);
  }

  static String text(byte[] data) {
    return new String(data, StandardCharsets.UTF_8);
  }

  static void refusedAs(PcikitException e, Failure... codes) {
    for (Failure c : codes) {
      if (e.failure() == c) {
        return;
      }
    }
    throw new AssertionError("refused with exit code " + e.failure() + ": " + e.getMessage(), e);
  }

  /**
   * Snapshot reader: a snapshot it accepts is recorded again and must read back (pcikit never
   * writes a snapshot it would refuse), to the same text.
   */
  public static void snapshot(byte[] data) {
    HostSysfs fs;
    try {
      fs = SnapshotReader.read(text(data), "fuzz");
    } catch (PcikitException e) {
      refusedAs(e, Failure.BAD_INPUT);
      return;
    }
    try {
      String once = SysfsRecorder.record(fs);
      String twice = SysfsRecorder.record(SnapshotReader.read(once, "recorded"));
      if (!once.equals(twice)) {
        throw new AssertionError("recording is not stable:\n" + once + "\n---\n" + twice);
      }
    } catch (PcikitException e) {
      throw new AssertionError("pcikit recorded a snapshot it refuses: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void guestSpec(byte[] data) {
    try {
      dev.pcikit.formats.GuestSpecReader.parse(text(data), "fuzz.yaml");
    } catch (PcikitException e) {
      refusedAs(e, Failure.BAD_INPUT, Failure.INVALID_ARGUMENT);
    }
  }

  public static void domainXml(byte[] data) {
    try {
      DomainXmlReader.parse(text(data));
    } catch (PcikitException e) {
      refusedAs(e, Failure.BAD_INPUT);
    }
  }

  /** Config space comes from the kernel (or a snapshot): any bytes decode and render. */
  public static void configSpace(byte[] data) {
    ConfigRenderer.render(ConfigDecoder.decode(data));
  }

  /** Selectors: parsed, or refused as a usage error (exit 2), never more. */
  public static void selectors(byte[] data) {
    String s = text(data);
    PciAddress a = PciAddress.parse("0000:01:00.0");
    for (int kind = 0; kind < 3; kind++) {
      DeviceSelector sel;
      try {
        sel =
            switch (kind) {
              case 0 -> DeviceSelector.parse(s);
              case 1 -> DeviceSelector.slot(s);
              default -> DeviceSelector.ids(s);
            };
      } catch (PcikitException e) {
        refusedAs(e, Failure.INVALID_ARGUMENT);
        continue;
      }
      sel.matches(a, 0x8086, 0x1521, 0x020000);
      sel.exactAddress();
      sel.matchesEverything();
      sel.namesDevices();
    }
  }

  private static Path stateDir;

  /** pcikit's own state files, as a crash, a full disk or a hand edit may leave them. */
  public static void stateFiles(byte[] data) {
    try {
      if (stateDir == null) {
        stateDir = Files.createTempDirectory("pcikit-fuzz-state");
        stateDir.toFile().deleteOnExit();
      }
      Files.createDirectories(stateDir.resolve("pcikit"));
      Path[] files = {
        stateDir.resolve("journal"),
        stateDir.resolve("bindings"),
        stateDir.resolve("pcikit/vfio-bindings.conf"),
        stateDir.resolve("sriov-journal")
      };
      for (Path f : files) {
        Files.write(f, data);
      }
      try {
        new Journal(stateDir).read();
      } catch (PcikitException e) {
        refusedAs(e, Failure.BAD_INPUT);
      }
      try {
        new BindingRecords(stateDir).read();
      } catch (PcikitException e) {
        refusedAs(e, Failure.BAD_INPUT);
      }
      try {
        new PersistedBindings(stateDir).read();
      } catch (PcikitException e) {
        refusedAs(e, Failure.BAD_INPUT);
      }
      Files.delete(stateDir.resolve("journal")); // the previous version's SR-IOV journal alone
      try {
        new Journal(stateDir).read();
      } catch (PcikitException e) {
        refusedAs(e, Failure.BAD_INPUT);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
