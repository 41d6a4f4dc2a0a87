package io.mailprobe.pipeline.smtp;

/** A connection stopped being usable; carried through futures inside one session, never thrown to callers. */
final class SessionBreak extends RuntimeException {

  private final SessionFailure.Kind kind;
  private final SmtpPhase phase;

  SessionBreak(SessionFailure.Kind kind, SmtpPhase phase, String detail) {
    super(detail, null, false, false);
    this.kind = kind;
    this.phase = phase;
  }

  SessionFailure.Kind kind() {
    return kind;
  }

  SmtpPhase phase() {
    return phase;
  }

  String detail() {
    return getMessage();
  }
}
