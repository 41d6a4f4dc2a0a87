package io.mailprobe.jobs.verify;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.function.LongSupplier;

/**
 * The operator's processing time as a {@link Clock}, so that the core's retry times and the operator's timers use
 * one time line (in tests, the harness's).
 */
final class ProcessingTimeClock extends Clock {

  private final LongSupplier millis;
  private final ZoneId zone;

  ProcessingTimeClock(LongSupplier millis) {
    this(millis, ZoneOffset.UTC);
  }

  private ProcessingTimeClock(LongSupplier millis, ZoneId zone) {
    this.millis = millis;
    this.zone = zone;
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId newZone) {
    return new ProcessingTimeClock(millis, newZone);
  }

  @Override
  public long millis() {
    return millis.getAsLong();
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis());
  }
}
