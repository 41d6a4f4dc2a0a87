package io.mailprobe.connectors.cli;

import io.mailprobe.pipeline.verdict.SmtpEvidence;
import io.mailprobe.pipeline.verdict.Verdict;
import java.util.ArrayList;
import java.util.List;

/** Verdicts as a plain-text table for people: one row per address, columns sized to their content. */
public final class VerdictTable {

  private static final String[] HEADER = {"EMAIL", "STATUS", "REASON", "FLAGS", "MX", "REPLY"};
  private static final int MAX_CELL = 72;

  private VerdictTable() {}

  /** Renders the rows with a header line. */
  public static String render(List<Verdict> verdicts) {
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADER);
    for (Verdict v : verdicts) {
      rows.add(row(v));
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

  private static String[] row(Verdict v) {
    SmtpEvidence s = v.smtp();
    String reply = s != null && s.code() != null ? s.code() + " " + nullToEmpty(s.message()) : "";
    if (v.detail() != null && (reply.isEmpty() || v.smtp().code() == null)) {
      reply = v.detail();
    }
    return new String[] {
      printable(v.email()),
      v.status().wireName(),
      v.reason().wireName(),
      flags(v),
      s == null || s.mx() == null ? "" : s.mx(),
      printable(reply)
    };
  }

  private static String flags(Verdict v) {
    List<String> on = new ArrayList<>();
    if (v.flags().role()) on.add("role");
    if (v.flags().disposable()) on.add("disposable");
    if (v.flags().freeProvider()) on.add("free");
    if (v.flags().catchAll()) on.add("catch-all");
    if (v.flags().greylisted()) on.add("greylisted");
    if (v.flags().full()) on.add("full");
    if (v.flags().disabled()) on.add("disabled");
    if (v.suggestion() != null) on.add("did-you-mean:" + v.suggestion());
    return String.join(",", on);
  }

  // Control characters in hostile input must not reach the terminal as themselves.
  private static String printable(String text) {
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

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
