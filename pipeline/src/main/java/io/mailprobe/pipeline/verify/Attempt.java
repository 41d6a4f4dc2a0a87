package io.mailprobe.pipeline.verify;

import java.time.Instant;

/**
 * Where an address stands in its retries: which attempt this is (1 for the first), when the first one was made, and
 * whether an earlier attempt was greylisted (so that a later acceptance carries {@code flags.greylisted}).
 */
public record Attempt(int number, Instant firstAt, boolean greylistedBefore) {

  public Attempt {
    if (number < 1) {
      throw new IllegalArgumentException("attempts count from 1");
    }
  }

  /** The first attempt, made at {@code now}. */
  public static Attempt first(Instant now) {
    return new Attempt(1, now, false);
  }

  /** The attempt after this one, after a temporary refusal. */
  public Attempt next(boolean greylisted) {
    return new Attempt(number + 1, firstAt, greylistedBefore || greylisted);
  }
}
