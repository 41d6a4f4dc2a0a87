package io.mailprobe.pipeline.verify;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * When to ask again about a greylisted (or otherwise temporarily refused) address: a backoff list whose last step
 * repeats, a bounded number of retries, and a bounded age since the first attempt.
 */
public record RetrySchedule(List<Duration> backoff, int maxRetries, Duration maxAge) {

  public RetrySchedule {
    backoff = List.copyOf(backoff);
    if (backoff.isEmpty() || backoff.stream().anyMatch(d -> d.isNegative())) {
      throw new IllegalArgumentException("backoff needs at least one non-negative delay");
    }
    if (maxRetries < 0) {
      throw new IllegalArgumentException("maxRetries must be >= 0");
    }
  }

  /** No retries at all: a greylisted address is reported as such at once. */
  public static RetrySchedule none() {
    return new RetrySchedule(List.of(Duration.ZERO), 0, Duration.ZERO);
  }

  /**
   * The time of the next attempt after {@code attemptsDone} attempts (the first one at {@code firstAttempt}) and a
   * temporary refusal at {@code now}; empty when retries or age are used up.
   */
  public Optional<Instant> nextAttempt(int attemptsDone, Instant firstAttempt, Instant now) {
    int retriesDone = attemptsDone - 1;
    if (retriesDone >= maxRetries) {
      return Optional.empty();
    }
    Instant next = now.plus(backoff.get(Math.min(retriesDone, backoff.size() - 1)));
    if (Duration.between(firstAttempt, next).compareTo(maxAge) > 0) {
      return Optional.empty();
    }
    return Optional.of(next);
  }
}
