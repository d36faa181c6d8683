package dev.pcikit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;

class ConverterExcludesTest {
  @Test
  void noOptionOrParameterTakesATypeWhoseConverterPicocliIsToldToSkip() {
    List<String> types = new ArrayList<>();
    collect(Main.commandLine(), types);
    assertThat(types).isNotEmpty().contains("java.nio.file.Path");
    for (String pattern : Main.CONVERTER_EXCLUDES.split(",")) {
      assertThat(types).noneMatch(t -> t.matches(pattern));
    }
  }

  @Test
  void theExcludesNameTheTypesTheyAreMeantFor() {
    String[] patterns = Main.CONVERTER_EXCLUDES.split(",");
    assertThat("java.time.Duration").matches(patterns[0]);
    assertThat("java.sql.Timestamp").matches(patterns[1]);
    assertThat("java.nio.file.Path").doesNotMatch(patterns[0]).doesNotMatch(patterns[1]);
  }

  private static void collect(CommandLine cl, List<String> types) {
    for (ArgSpec a : cl.getCommandSpec().args()) {
      types.add(a.type().getName());
      for (Class<?> aux : a.auxiliaryTypes()) {
        types.add(aux.getName());
      }
    }
    cl.getSubcommands().values().forEach(sub -> collect(sub, types));
  }
}
