package dev.pcikit.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamReader;
import org.junit.jupiter.api.Test;

class SafeTextTest {
  static final List<String> ODD =
      List.of(
          "vfio-pci",
          "\u001b]0;pwned\u0007\u001b[31mred",
          "a\u0000b",
          "it's",
          "two words",
          "-n",
          "$(reboot)",
          "`id`;ls|x&y>z",
          "tab\there\nnewline\rcr",
          "\u202eevil\u2066",
          "\u0085c1\u009bcsi",
          "ünïcödé",
          "");

  @Test
  void terminalTextHasNoControlCharacterLeft() {
    assertThat(SafeText.terminal("\u001b[31mred\u0000")).isEqualTo("\\x1b[31mred\\x00");
    assertThat(SafeText.terminal("a\tb\nc")).isEqualTo("a\tb\nc");
    assertThat(SafeText.field("a\tb\nc")).isEqualTo("a\\x09b\\x0ac");
    assertThat(SafeText.terminal("\u202eabc")).isEqualTo("\\u202eabc");
    assertThat(SafeText.terminal("plain ünï")).isSameAs(SafeText.terminal("plain ünï"));
    for (String s : ODD) {
      String t = SafeText.field(s);
      assertThat(t.codePoints().noneMatch(SafeText::unsafeForTerminal)).as(t).isTrue();
      assertThat(t).doesNotContain("\n", "\t");
    }
  }

  /** The real thing: bash reads each quoted word back as exactly the original string. */
  @Test
  void shellWordsReadBackExactlyInBash() throws Exception {
    for (String s : ODD) {
      if (s.indexOf('\0') >= 0) {
        continue; // no shell string can hold NUL (nor can a sysfs write)
      }
      String word = SafeText.shell(s);
      assertThat(word.codePoints().noneMatch(SafeText::unsafeForTerminal)).as(word).isTrue();
      ProcessBuilder pb =
          new ProcessBuilder("bash", "-c", "printf '%s' " + word).redirectErrorStream(true);
      pb.environment().put("LC_ALL", "C.UTF-8"); // $'\u0085' is encoded in the locale's charset
      Process p = pb.start();
      String back = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor()).isZero();
      assertThat(back).as("bash read back %s", word).isEqualTo(s);
    }
    assertThat(SafeText.shell("0000:01:00.0")).isEqualTo("0000:01:00.0");
    assertThat(SafeText.shell("/sys/bus/pci/drivers/vfio-pci/bind"))
        .isEqualTo("/sys/bus/pci/drivers/vfio-pci/bind");
  }

  @Test
  void xmlTextStaysWellFormed() throws Exception {
    for (String s : ODD) {
      String doc = "<d a=\"" + SafeText.xml(s) + "\">" + SafeText.xml(s) + "</d>";
      XMLStreamReader r = XMLInputFactory.newFactory().createXMLStreamReader(new StringReader(doc));
      while (r.hasNext()) {
        r.next(); // throws on a document that is not well-formed
      }
    }
  }
}
