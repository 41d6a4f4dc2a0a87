package io.mailprobe.connectors.cli;

import io.mailprobe.pipeline.verdict.SmtpEvidence;
import io.mailprobe.pipeline.verdict.Verdict;
import java.util.ArrayList;
import java.util.List;

/** Verdicts as a plain-text table for people: one row per address, columns sized to their content. */
public final class VerdictTable {

  private VerdictTable() {}

  /** Renders the rows with a header line. */
  public static String render(List<Verdict> verdicts) {
    TextTable table = new TextTable("EMAIL", "STATUS", "REASON", "FLAGS", "MX", "REPLY");
    for (Verdict v : verdicts) {
      table.row(row(v));
    }
    return table.render();
  }

  private static String[] row(Verdict v) {
    SmtpEvidence s = v.smtp();
    String reply = s != null && s.code() != null ? s.code() + " " + nullToEmpty(s.message()) : "";
    if (v.detail() != null && (reply.isEmpty() || v.smtp().code() == null)) {
      reply = v.detail();
    }
    return new String[] {
      v.email(),
      v.status().wireName(),
      v.reason().wireName(),
      flags(v),
      s == null || s.mx() == null ? "" : s.mx(),
      reply
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

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
