package io.mailprobe.pipeline.verdict;

import java.util.Locale;

/** Why a verdict has its status (DESIGN §2). */
public enum Reason {
  ACCEPTED,
  MAILBOX_NOT_FOUND,
  INVALID_SYNTAX,
  NO_SUCH_DOMAIN,
  NULL_MX,
  NO_MAIL_SERVER,
  CATCH_ALL,
  MAILBOX_FULL,
  MAILBOX_DISABLED,
  DISPOSABLE,
  SPAM_TRAP,
  PROVIDER_UNVERIFIABLE,
  GREYLISTED,
  RATE_LIMITED,
  BLOCKED,
  TLS_REQUIRED,
  TIMEOUT,
  CONNECTION_FAILED,
  DNS_ERROR,
  AMBIGUOUS_REJECTION;

  /** The lower-case name used on the wire. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a wire name such as {@code "mailbox_not_found"}. */
  public static Reason fromWireName(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
