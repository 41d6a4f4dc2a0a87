package io.mailprobe.testkit.smtp;

import java.util.List;

/** A reply the simulator sends: a code and one or more text lines (multi-line replies use {@code code-text}). */
public record Reply(int code, List<String> lines) {

  public Reply {
    if (code < 100 || code > 599) {
      throw new IllegalArgumentException("reply code out of range: " + code);
    }
    lines = List.copyOf(lines);
    if (lines.isEmpty()) {
      throw new IllegalArgumentException("a reply needs at least one line");
    }
  }

  public static Reply of(int code, String... lines) {
    return new Reply(code, List.of(lines));
  }

  /** The reply as it goes on the wire, CRLF after every line. */
  String render() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < lines.size(); i++) {
      b.append(code).append(i == lines.size() - 1 ? ' ' : '-').append(lines.get(i)).append("\r\n");
    }
    return b.toString();
  }
}
