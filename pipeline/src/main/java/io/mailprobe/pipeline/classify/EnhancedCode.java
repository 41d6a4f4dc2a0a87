package io.mailprobe.pipeline.classify;

import io.mailprobe.pipeline.smtp.SmtpReply;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An RFC 3463 enhanced status code, class.subject.detail, e.g. 5.1.1. */
record EnhancedCode(int klass, int subject, int detail) {

  // Some servers put the code later in the line ("550 cuda_nsu 5.1.1 ...", "550 Invalid recipient (#5.1.1)"). The
  // lookarounds keep IP addresses (1.2.3.4) and version strings (4.16.55.1) from passing for one.
  private static final Pattern IN_TEXT = Pattern.compile("(?<![\\d.])([245])\\.(\\d{1,3})\\.(\\d{1,3})(?![\\d.])");

  /**
   * The reply's enhanced code: the one {@link SmtpReply} parsed from the start of its first line, else the first one
   * in its text whose class agrees with the reply code; null when there is none.
   */
  static EnhancedCode of(SmtpReply reply) {
    int replyClass = reply.code() / 100;
    if (reply.enhanced() != null) {
      EnhancedCode parsed = parse(reply.enhanced());
      if (parsed != null) {
        return parsed;
      }
    }
    Matcher m = IN_TEXT.matcher(reply.text());
    while (m.find()) {
      if (Integer.parseInt(m.group(1)) == replyClass) {
        return new EnhancedCode(replyClass, Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
      }
    }
    return null;
  }

  static EnhancedCode parse(String code) {
    Matcher m = IN_TEXT.matcher(code);
    if (!m.matches()) {
      return null;
    }
    return new EnhancedCode(
        Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
  }

  boolean is(int subject, int detail) {
    return this.subject == subject && this.detail == detail;
  }

  @Override
  public String toString() {
    return klass + "." + subject + "." + detail;
  }
}
