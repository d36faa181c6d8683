package dev.pcikit.core.modalias;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GlobTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "pci:v*d*sv*sd*bc*sc*i*|pci:v00008086d000010D3sv00008086sd0000A01Fbc02sc00i00|true",
        "pci:v00008086d000010D3sv*sd*bc*sc*i*|pci:v00008086d000010D3sv00008086sd0000A01Fbc02sc00i00|true",
        "pci:v00008086d000010d3sv*sd*bc*sc*i*|pci:v00008086d000010D3sv00008086sd0000A01Fbc02sc00i00|false",
        "pci:v*d*sv*sd*bc01sc08i02|pci:v00001B36d00000010sv00001AF4sd00001100bc01sc08i02|true",
        "pci:v*d*sv*sd*bc01sc08i02|pci:v00001B36d00000010sv00001AF4sd00001100bc01sc08i03|false",
        "a?c|abc|true",
        "a?c|ac|false",
        "a[bc]d|acd|true",
        "a[!bc]d|acd|false",
        "a[!bc]d|axd|true",
        "a[^bc]d|axd|true",
        "a[]]d|a]d|true",
        "a[a-c]d|abd|true",
        "a[a-c]d|a-d|false",
        "a[-a]d|a-d|true",
        "a[[:digit:]]d|a5d|true",
        "a[[:xdigit:]]d|aGd|false",
        "a\\*b|a*b|true",
        "a\\*b|axb|false",
        "a[b|a[b|true",
        "a*|a/.x|true",
        "*x*x*|axbx|true",
        "*x*x*|axb|false",
        "**|''|true",
        "a\\|a\\|false",
      })
  void matchesLikeGlibcFnmatch(String pattern, String s, boolean expected) {
    String str = s.equals("''") ? "" : s;
    assertThat(Glob.compile(pattern, 0).matches(str, 0)).isEqualTo(expected);
  }

  @Test
  void matchesFromAnOffset() {
    assertThat(Glob.compile("XX*d", 2).matches("--abcd", 2)).isTrue();
    assertThat(Glob.compile("*d", 0).matches("d--abc", 2)).isFalse();
  }

  /** The same patterns translated to java.util.regex, an independent implementation. */
  @Property(tries = 3000)
  void agreesWithRegexTranslation(@ForAll("patterns") String pattern, @ForAll("strings") String s) {
    assertThat(Glob.compile(pattern, 0).matches(s, 0))
        .isEqualTo(regex(pattern).matcher(s).matches());
  }

  @Provide
  Arbitrary<String> patterns() {
    return Arbitraries.of("a", "b", "_", "*", "?", "[ab]", "[!a]", "[a-b]", "\\*")
        .list()
        .ofMaxSize(7)
        .map(l -> String.join("", l));
  }

  @Provide
  Arbitrary<String> strings() {
    return Arbitraries.strings().withChars("ab_*").ofMaxLength(8);
  }

  private static Pattern regex(String glob) {
    StringBuilder r = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      switch (c) {
        case '*' -> r.append("(?s:.*)");
        case '?' -> r.append("(?s:.)");
        case '[' -> {
          int close = glob.indexOf(']', i + 2);
          String body = glob.substring(i + 1, close);
          if (body.startsWith("!")) {
            body = "^" + body.substring(1);
          }
          r.append('[').append(body).append(']');
          i = close;
        }
        case '\\' -> r.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
        default -> r.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(r.toString());
  }
}
