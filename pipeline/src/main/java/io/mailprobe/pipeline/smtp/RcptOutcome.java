package io.mailprobe.pipeline.smtp;

/** What became of one recipient in a probe. */
public sealed interface RcptOutcome {

  /** The recipient as it was put on the wire (normalized address). */
  String recipient();

  /** The server answered RCPT TO for this recipient. */
  record Answered(String recipient, SmtpReply reply, HostContact host) implements RcptOutcome {}

  /** The recipient never got an answer to RCPT TO. */
  record Unanswered(String recipient, SessionFailure failure) implements RcptOutcome {}
}
