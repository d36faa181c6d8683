package dev.pcikit.sim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh demo state directory for each test: {@code pcikit.stateDir} (where {@link HostSession}
 * keeps what a demo host has been through) points at a new temporary directory during the test and
 * is put back afterwards, and the directory is deleted. Register it on an instance field with
 * {@code @RegisterExtension}; tests in one JVM run one at a time, since it is a system property.
 * Shared with the agent and cli tests (this module's test jar).
 */
public final class DemoStateDir implements BeforeEachCallback, AfterEachCallback {
  static final String PROPERTY = "pcikit.stateDir";

  private Path dir;
  private String before;

  /** The directory of the running test; a process started by the test gets it as -D. */
  public Path path() {
    if (dir == null) {
      throw new IllegalStateException("no test is running");
    }
    return dir;
  }

  /** {@code -Dpcikit.stateDir=DIR} for a JVM that should share this test's demo hosts. */
  public String jvmOption() {
    return "-D" + PROPERTY + "=" + path();
  }

  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    dir = Files.createTempDirectory("pcikit-state");
    before = System.getProperty(PROPERTY);
    System.setProperty(PROPERTY, dir.toString());
  }

  @Override
  public void afterEach(ExtensionContext context) throws IOException {
    if (before == null) {
      System.clearProperty(PROPERTY);
    } else {
      System.setProperty(PROPERTY, before);
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
    dir = null;
  }
}
