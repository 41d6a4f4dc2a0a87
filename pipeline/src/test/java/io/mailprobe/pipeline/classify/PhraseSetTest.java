package io.mailprobe.pipeline.classify;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PhraseSetTest {

  private static final PhraseSet SET =
      PhraseSet.of("sample", "locked", "block ?list(?:ed)?", "rbls?", "doesn't exist", "user unknown");

  @ParameterizedTest(name = "\"{0}\" -> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          Mailbox locked                         | true
          550 Blocked                            | false
          listed on a blocklist                  | true
          IP address is block listed.            | true
          block-listed sender                    | true
          in an RBL: http://x                    | true
          found on RBLs                          | true
          verbal warning                         | false
          address doesn’t exist                  | true
          address doesn't exist                  | true
          USER   UNKNOWN                         | true
          user-unknown                           | true
          userunknown                            | false
          """)
  void matchesWholeWordsWithFlexibleSeparators(String text, boolean found) {
    assertThat(SET.foundIn(text)).isEqualTo(found);
  }
}
