package io.mailprobe.pipeline.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {

  private final Instant t0 = Instant.parse("2026-11-28T10:00:00Z");
  private final RetrySchedule schedule =
      new RetrySchedule(
          List.of(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15)), 4, Duration.ofHours(1));

  @Test
  void followsTheBackoffAndRepeatsItsLastStep() {
    assertThat(schedule.nextAttempt(1, t0, t0)).contains(t0.plusSeconds(60));
    assertThat(schedule.nextAttempt(2, t0, t0.plusSeconds(60))).contains(t0.plusSeconds(60 + 300));
    assertThat(schedule.nextAttempt(3, t0, t0.plusSeconds(360))).contains(t0.plusSeconds(360 + 900));
    assertThat(schedule.nextAttempt(4, t0, t0.plusSeconds(1260))).contains(t0.plusSeconds(1260 + 900));
  }

  @Test
  void stopsAfterTheLastRetryOrPastTheMaximumAge() {
    assertThat(schedule.nextAttempt(5, t0, t0.plusSeconds(2000))).isEmpty();
    assertThat(schedule.nextAttempt(2, t0, t0.plusSeconds(3500))).isEmpty();
    assertThat(RetrySchedule.none().nextAttempt(1, t0, t0)).isEmpty();
  }
}
