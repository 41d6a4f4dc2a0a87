package io.mailprobe.pipeline.intel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TypoSuggesterTest {

  private static final TypoSuggester TYPOS = ReferenceLists.bundled().typoSuggester();

  @ParameterizedTest
  @CsvSource({
    "gmial.com, gmail.com",
    "gmai.com, gmail.com",
    "gmail.con, gmail.com",
    "gmail.cmo, gmail.com",
    "hotmial.com, hotmail.com",
    "yaho.com, yahoo.com",
    "outlok.com, outlook.com",
    "gmaiil.coom, gmaiil.com", // only the TLD: two edits in a short name are too many
    "googelmial.com, googlemail.com",
    "aol.con, aol.com",
    "comcast.nte, comcast.net",
    "acme.cmo, acme.com",
    "acme.con, acme.com",
    "acme.nte, acme.net",
    "acme.ogr, acme.org",
  })
  void nearMissesGetTheIntendedDomain(String typed, String meant) {
    assertThat(TYPOS.suggest(typed)).contains(meant);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "gmail.com", // popular itself
        "mail.com", // a real provider one edit from gmail.com
        "ymail.com",
        "gmail.co", // .co is a real TLD: may be a real domain
        "gmail.cm",
        "hotmail.it",
        "acme.com",
        "acme.io",
        "aoll.com", // short names have too many real neighbours
        "me.co",
        "gmx.com",
        "googlemial.co", // never in place of a real TLD
        "email.com", // real providers near popular ones
        "fastermail.com",
        "localdomain.invalidtld",
      })
  void noSuggestionWhereItWouldBeAGuess(String domain) {
    assertThat(TYPOS.suggest(domain)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"abc, abc, 0", "abc, acb, 1", "gmial, gmail, 1", "ca, abc, 3", "kitten, sitting, 3", "a, '', 1"})
  void editDistanceCountsASwapAsOne(String a, String b, int expected) {
    assertThat(EditDistance.between(a, b, 5)).isEqualTo(expected);
    assertThat(EditDistance.between(a, b, 0)).isEqualTo(expected == 0 ? 0 : 1);
  }

  @Test
  void aDomainIsSearchedOnceThenAnsweredFromMemory() {
    TypoSuggester fresh = ReferenceLists.load(ListSources.bundled()).typoSuggester();
    int before = fresh.remembered();
    assertThat(fresh.suggest("gmial.com")).contains("gmail.com");
    assertThat(fresh.suggest("acme-memory.test")).isEmpty();
    assertThat(fresh.remembered()).isEqualTo(before + 2);
    for (int i = 0; i < 3; i++) {
      assertThat(fresh.suggest("gmial.com")).contains("gmail.com");
      assertThat(fresh.suggest("acme-memory.test")).isEmpty();
    }
    assertThat(fresh.remembered()).isEqualTo(before + 2);
  }

  @Test
  void theMemoryIsBounded() {
    TypoSuggester fresh = ReferenceLists.load(ListSources.bundled()).typoSuggester();
    for (int i = 0; i < TypoSuggester.MEMORY_LIMIT + 10; i++) {
      fresh.suggest("d" + i + ".example");
    }
    assertThat(fresh.remembered()).isLessThanOrEqualTo(TypoSuggester.MEMORY_LIMIT);
    assertThat(fresh.suggest("gmial.com")).contains("gmail.com");
  }
}
