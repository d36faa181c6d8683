package dev.pcikit.core.modalias;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class PatternTrieTest {

  /**
   * The trie finds exactly the entries a scan of every pattern finds, and (modules having distinct
   * priorities) in priority order, duplicates kept.
   */
  @Property(tries = 500)
  void findsWhatAScanFinds(
      @ForAll("patternLists") List<String> patterns, @ForAll("keys") List<String> keys) {
    List<AliasEntry> entries = new ArrayList<>();
    int[] prio = new int[patterns.size()];
    for (int i = 0; i < patterns.size(); i++) {
      int module = i % 4; // modules appear in blocks of priority; several aliases per module
      entries.add(new AliasEntry(patterns.get(i), "m" + module, "f", i + 1));
      prio[i] = module;
    }
    PatternTrie trie = new PatternTrie(entries, prio);
    for (String key : keys) {
      List<String> scan = new ArrayList<>();
      for (int m = 0; m < 4; m++) {
        for (int i = 0; i < entries.size(); i++) {
          if (prio[i] == m && Glob.compile(patterns.get(i), 0).matches(key, 0)) {
            scan.add(entries.get(i).module());
          }
        }
      }
      List<String> found = trie.lookup(key).stream().map(AliasEntry::module).toList();
      assertThat(found).as("key %s in %s", key, patterns).isEqualTo(scan);
    }
  }

  @Provide
  Arbitrary<List<String>> patternLists() {
    return Arbitraries.of("p", "c", ":", "v", "1", "*", "?", "[1v]", "[!p]")
        .list()
        .ofMinSize(1)
        .ofMaxSize(6)
        .map(l -> String.join("", l))
        .list()
        .ofMaxSize(12);
  }

  @Provide
  Arbitrary<List<String>> keys() {
    return Arbitraries.strings().withChars("pcv1:").ofMaxLength(6).list().ofMaxSize(10);
  }
}
