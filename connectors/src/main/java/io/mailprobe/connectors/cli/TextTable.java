package io.mailprobe.connectors.cli;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table for people: columns sized to their content, cells of hostile input made safe to print. */
final class TextTable {

  private static final int MAX_CELL = 72;

  private final String[] header;
  private final List<String[]> rows = new ArrayList<>();

  TextTable(String... header) {
    this.header = header;
  }

  /** Adds a row; each cell is escaped and clipped (see {@link #cell}). */
  TextTable row(String... cells) {
    if (cells.length != header.length) {
      throw new IllegalArgumentException("a row needs " + header.length + " cells");
    }
    String[] safe = new String[cells.length];
    for (int i = 0; i < cells.length; i++) {
      safe[i] = cell(cells[i]);
    }
    rows.add(safe);
    return this;
  }

  String render() {
    int[] width = new int[header.length];
    List<String[]> all = new ArrayList<>(rows.size() + 1);
    all.add(header);
    all.addAll(rows);
    for (String[] r : all) {
      for (int c = 0; c < r.length; c++) {
        width[c] = Math.max(width[c], r[c].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String[] r : all) {
      for (int c = 0; c < r.length; c++) {
        out.append(c == r.length - 1 ? r[c] : String.format("%-" + width[c] + "s  ", r[c]));
      }
      out.append('\n');
    }
    return out.toString();
  }

  // Input comes from strangers: control characters must not reach the terminal as themselves, long values are clipped.
  static String cell(String text) {
    if (text == null) {
      return "";
    }
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
