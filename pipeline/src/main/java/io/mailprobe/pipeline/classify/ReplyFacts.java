package io.mailprobe.pipeline.classify;

import io.mailprobe.pipeline.smtp.SmtpReply;
import java.util.regex.Pattern;

/**
 * What the classifier reads from a reply: its code, its enhanced code and its text with addresses taken out, so that
 * a local part such as {@code blocked.user@} or a domain such as {@code @spamhaus-fans.org} cannot pass for a reason.
 */
record ReplyFacts(int code, EnhancedCode enhanced, String text) {

  // <...> paths, and bare addresses such as [jane@example.com] or (jane@example.com).
  private static final Pattern ANGLE_PATH = Pattern.compile("<[^<>]*>");
  private static final Pattern BARE_ADDRESS = Pattern.compile("[^\\s<>\\[\\]()\"',;]+@[^\\s<>\\[\\]()\"',;]+");
  private static final Pattern SPACES = Pattern.compile("\\s+");

  static ReplyFacts of(SmtpReply reply) {
    String text = reply.text();
    text = ANGLE_PATH.matcher(text).replaceAll(" ");
    text = BARE_ADDRESS.matcher(text).replaceAll(" ");
    text = SPACES.matcher(text).replaceAll(" ").trim();
    return new ReplyFacts(reply.code(), EnhancedCode.of(reply), text);
  }

  boolean says(PhraseSet phrases) {
    return phrases.foundIn(text);
  }

  boolean transientFailure() {
    return code >= 400 && code < 500;
  }

  /** Whether the enhanced code exists and has this subject (RFC 3463: 1 address, 2 mailbox, 5 protocol, 7 policy). */
  boolean subjectIs(int subject) {
    return enhanced != null && enhanced.subject() == subject;
  }

  boolean enhancedIs(int subject, int detail) {
    return enhanced != null && enhanced.is(subject, detail);
  }
}
