package io.mailprobe.pipeline.smtp;

/** The step of a session (DESIGN §4) at which something happened. */
public enum SmtpPhase {
  CONNECT,
  BANNER,
  EHLO,
  STARTTLS,
  MAIL_FROM,
  RCPT_TO,
  RSET,
  QUIT
}
