package io.mailprobe.connectors.signup;

import java.util.Locale;
import java.util.Objects;

/**
 * Why a record could not become a {@link SignupEvent}, in words that say exactly what is wrong with it.
 *
 * @param message what is wrong, e.g. {@code "email is a number, not a string"}
 */
public record DecodeError(Kind kind, String message) {

  public DecodeError {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(message, "message");
  }

  /** The kinds of undecodable record; {@link #code()} is the name dead letters carry. */
  public enum Kind {
    /** The record has no value (a tombstone). */
    NO_VALUE,
    /** The value is larger than the configured maximum. */
    TOO_LARGE,
    /** The value is not valid UTF-8. */
    INVALID_UTF8,
    /** The value is not JSON (or has something after the JSON, or a repeated field). */
    NOT_JSON,
    /** The value is JSON, but not an object. */
    NOT_AN_OBJECT,
    /** The object has no {@code email}, or it is null. */
    EMAIL_MISSING,
    /** {@code email} is there, but not a string. */
    EMAIL_NOT_STRING,
    /** {@code event_id} is neither a string nor a whole number. */
    BAD_EVENT_ID,
    /** {@code ts} is neither an ISO-8601 instant nor epoch milliseconds. */
    BAD_TS;

    /** The lower-case name used on the wire, e.g. {@code email_missing}. */
    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** {@code code: message}, the form a dead letter records. */
  @Override
  public String toString() {
    return kind.code() + ": " + message;
  }
}
