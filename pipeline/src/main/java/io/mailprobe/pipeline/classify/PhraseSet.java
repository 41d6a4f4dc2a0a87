package io.mailprobe.pipeline.classify;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A named list of reply phrases compiled once into a single case-insensitive pattern that only matches whole words,
 * so that "locked" is not found in "blocked" nor "rbl" in "verbal".
 *
 * <p>Each phrase is a regular-expression fragment. A space in it matches a short run of white space or hyphens (replies
 * are joined from several lines, some servers pad with two spaces, some write "Invalid-Recipient"), " ?" makes the
 * separator optional, and an apostrophe matches a typographic one too.
 */
record PhraseSet(String name, List<String> phrases, Pattern pattern) {

  private static final String NOT_WORD_BEFORE = "(?<![\\p{L}\\p{N}_])";
  private static final String NOT_WORD_AFTER = "(?![\\p{L}\\p{N}_])";

  PhraseSet {
    phrases = List.copyOf(phrases);
  }

  static PhraseSet of(String name, String... phrases) {
    String alternatives =
        List.of(phrases).stream()
            .map(PhraseSet::widen)
            .collect(Collectors.joining("|", "(?:", ")"));
    Pattern pattern =
        Pattern.compile(
            NOT_WORD_BEFORE + alternatives + NOT_WORD_AFTER,
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    return new PhraseSet(name, List.of(phrases), pattern);
  }

  // " ?" is an optional separator and " " a required one; a separator is white space or a hyphen
  // ("block list", "block-list", "blocklist").
  private static String widen(String phrase) {
    return phrase
        .replace(" ?", "[\\s\\-]{0,3}")
        .replace(" ", "[\\s\\-]{1,3}")
        .replace("'", "['’]");
  }

  /** Whether any phrase occurs in the text as whole words. */
  boolean foundIn(String text) {
    return pattern.matcher(text).find();
  }
}
