package io.mailprobe.pipeline.smtp;

/**
 * Why a session ended before a recipient got its answer.
 *
 * @param host the exchanger last tried, or null when none could even be dialled
 * @param lastReply the last reply the server sent, or null
 * @param detail a short human-readable cause, e.g. "no banner within 10s"
 */
public record SessionFailure(
    Kind kind, SmtpPhase phase, HostContact host, SmtpReply lastReply, String detail) {

  /** The kinds of session failure that DESIGN §3 rows 8 and 9 tell apart. */
  public enum Kind {
    /** TCP connect refused or unreachable. */
    CONNECTION_REFUSED,
    /** TCP connect did not complete in time. */
    CONNECT_TIMEOUT,
    /** The server went silent past a phase's deadline (tarpit). */
    TIMEOUT,
    /** The server closed the connection. */
    CONNECTION_CLOSED,
    /** The server sent something that is not SMTP, or a reply over the size bound. */
    PROTOCOL_ERROR,
    /** The TLS handshake failed. */
    TLS_FAILED,
    /** The server demands TLS we could not establish. */
    TLS_REQUIRED,
    /** The server refused us with a reply at the banner, EHLO/HELO or MAIL FROM (see {@code lastReply}). */
    REJECTED,
    /** The SOCKS5 proxy failed. */
    PROXY_FAILED,
    /** Too many reconnects for session-level replies (421 mid-session, 452 4.5.3). */
    SESSION_LIMIT
  }
}
