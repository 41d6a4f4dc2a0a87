package io.mailprobe.connectors.cli;

import io.mailprobe.connectors.signup.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Dead letters as a plain-text table for people: where each record came from, why, and its value. */
public final class DeadLetterTable {

  private static final String[] HEADER = {"RECORD", "ERROR", "VALUE"};
  private static final int MAX_CELL = 72;

  private DeadLetterTable() {}

  /** Renders the rows with a header line. */
  public static String render(List<DeadLetter> letters) {
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADER);
    for (DeadLetter d : letters) {
      String value = d.value() == null ? "(no value)" : new String(d.value(), StandardCharsets.UTF_8);
      rows.add(new String[] {d.topic() + "-" + d.partition() + "@" + d.offset(), printable(d.error()), printable(value)});
    }
    int[] width = new int[HEADER.length];
    for (String[] r : rows) {
      for (int c = 0; c < r.length; c++) {
        width[c] = Math.max(width[c], r[c].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String[] r : rows) {
      for (int c = 0; c < r.length; c++) {
        out.append(c == r.length - 1 ? r[c] : String.format("%-" + width[c] + "s  ", r[c]));
      }
      out.append('\n');
    }
    return out.toString();
  }

  // A dead letter is hostile input by definition: control characters are shown escaped, long values clipped.
  private static String printable(String text) {
    StringBuilder out = new StringBuilder();
    text.codePoints()
        .forEach(cp -> {
          if (Character.isISOControl(cp)) {
            out.append(String.format("\\u%04X", cp));
          } else {
            out.appendCodePoint(cp);
          }
        });
    String s = out.toString();
    return s.length() > MAX_CELL ? s.substring(0, MAX_CELL - 1) + "…" : s;
  }
}
