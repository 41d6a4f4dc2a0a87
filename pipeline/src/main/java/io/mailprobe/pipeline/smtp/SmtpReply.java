package io.mailprobe.pipeline.smtp;

import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One SMTP reply: the three-digit code, the RFC 3463 enhanced status code when the server sent one, and its text
 * lines (without the code prefix).
 */
public record SmtpReply(int code, String enhanced, List<String> lines) {

  private static final Pattern ENHANCED = Pattern.compile("^([245])\\.(\\d{1,3})\\.(\\d{1,3})(?=\\s|$)");

  public SmtpReply {
    if (code < 100 || code > 599) {
      throw new IllegalArgumentException("SMTP reply code out of range: " + code);
    }
    lines = List.copyOf(Objects.requireNonNull(lines, "lines"));
  }

  /** Builds a reply from a code and text lines, taking the enhanced code from the first line when present. */
  public static SmtpReply of(int code, List<String> lines) {
    String enhanced = null;
    if (!lines.isEmpty()) {
      Matcher m = ENHANCED.matcher(lines.get(0));
      if (m.find() && m.group(1).charAt(0) == Integer.toString(code).charAt(0)) {
        enhanced = m.group(1) + "." + m.group(2) + "." + m.group(3);
      }
    }
    return new SmtpReply(code, enhanced, lines);
  }

  /** Builds a one-line reply. */
  public static SmtpReply of(int code, String line) {
    return of(code, List.of(line));
  }

  /** The text lines joined by a space. */
  public String text() {
    return String.join(" ", lines);
  }

  public boolean isPositive() {
    return code >= 200 && code < 400;
  }

  public boolean isTransient() {
    return code >= 400 && code < 500;
  }

  public boolean isPermanent() {
    return code >= 500;
  }

  /** The reply as a server would print it on one line, e.g. {@code 550 5.1.1 User unknown}. */
  @Override
  public String toString() {
    return code + " " + text();
  }
}
