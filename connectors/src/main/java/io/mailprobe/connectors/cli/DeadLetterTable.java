package io.mailprobe.connectors.cli;

import io.mailprobe.connectors.signup.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Dead letters as a plain-text table for people: where each record came from, why, and its value. */
public final class DeadLetterTable {

  private DeadLetterTable() {}

  /** Renders the rows with a header line. */
  public static String render(List<DeadLetter> letters) {
    TextTable table = new TextTable("RECORD", "ERROR", "VALUE");
    for (DeadLetter d : letters) {
      String value = d.value() == null ? "(no value)" : new String(d.value(), StandardCharsets.UTF_8);
      table.row(d.topic() + "-" + d.partition() + "@" + d.offset(), d.error(), value);
    }
    return table.render();
  }
}
