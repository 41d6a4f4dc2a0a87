package io.mailprobe.pipeline.verdict;

import java.time.Instant;
import java.util.Objects;

/**
 * One answer for one address (DESIGN §2), without the event's identity, which the streaming side adds.
 *
 * @param email the input exactly as given
 * @param address the normalized address (domain as lower-case A-label), or null when it could not be parsed
 * @param detail a specific human-readable cause when the status alone does not say it (the syntax problem, the
 *     DNS failure, the phase that timed out), else null
 * @param retryAfter when a retry is due for a greylisted address that is not final yet, else null
 */
public record Verdict(
    String email,
    String address,
    Status status,
    Reason reason,
    Flags flags,
    String suggestion,
    String provider,
    SmtpEvidence smtp,
    String detail,
    int attempts,
    Instant retryAfter,
    Instant checkedAt,
    long durationMs) {

  public Verdict {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(flags, "flags");
    Objects.requireNonNull(checkedAt, "checkedAt");
  }

  /** True when this verdict waits for a greylist retry rather than being the last word. */
  public boolean awaitsRetry() {
    return retryAfter != null;
  }
}
