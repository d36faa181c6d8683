package dev.pcikit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays every kept fuzz input (src/test/resources/fuzz/TARGET/*: the findings of scripts/fuzz.sh
 * and a few seeds) through its target on every normal test run, so a fixed finding stays fixed.
 */
class FuzzRegressionTest {
  @TestFactory
  Stream<DynamicTest> everyKeptInputPasses() throws Exception {
    Path base = Path.of(FuzzRegressionTest.class.getResource("/fuzz").toURI());
    return Fuzz.TARGETS.entrySet().stream()
        .flatMap(
            t -> {
              Path dir = base.resolve(t.getKey());
              List<Path> inputs;
              try (Stream<Path> s = Files.list(dir)) {
                inputs = s.sorted().toList();
              } catch (Exception e) {
                throw new AssertionError("no inputs kept for fuzz target " + t.getKey(), e);
              }
              assertThat(inputs).as(t.getKey()).isNotEmpty();
              return inputs.stream()
                  .map(
                      in ->
                          DynamicTest.dynamicTest(
                              t.getKey() + "/" + in.getFileName(),
                              () -> t.getValue().accept(Files.readAllBytes(in))));
            });
  }
}
