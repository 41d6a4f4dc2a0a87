package io.mailprobe.pipeline.politeness;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailprobe.pipeline.smtp.HostGate;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PerHostSessionLimitTest {

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final InetAddress mx1 = InetAddress.getLoopbackAddress();
  private final InetAddress mx2 = address("127.0.0.2");

  @AfterEach
  void stop() {
    timer.shutdownNow();
  }

  @Test
  void neverAdmitsMoreThanTheCapAndServesWaitersInOrder() {
    PerHostSessionLimit limit = new PerHostSessionLimit(2, 1000, Duration.ofMinutes(1), timer);
    List<CompletableFuture<HostGate.Permit>> asks = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      asks.add(limit.acquire(mx1).toCompletableFuture());
    }
    assertThat(asks).filteredOn(CompletableFuture::isDone).hasSize(2);
    assertThat(limit.activeSessions(mx1)).isEqualTo(2);
    assertThat(limit.waiting()).isEqualTo(3);

    asks.get(0).join().release();
    asks.get(0).join().release(); // a second release of the same permit changes nothing
    assertThat(asks.get(2)).isDone();
    assertThat(asks.get(3)).isNotDone();
    assertThat(limit.activeSessions(mx1)).isEqualTo(2);
  }

  @Test
  void hostsAreLimitedIndependently() {
    PerHostSessionLimit limit = new PerHostSessionLimit(1, 1000, Duration.ofMinutes(1), timer);
    assertThat(limit.acquire(mx1).toCompletableFuture()).isDone();
    assertThat(limit.acquire(mx2).toCompletableFuture()).isDone();
    assertThat(limit.acquire(mx1).toCompletableFuture()).isNotDone();
  }

  @Test
  void rateLimitHoldsNewSessionsUntilTheWindowSlides() throws Exception {
    AtomicLong now = new AtomicLong();
    PerHostSessionLimit limit =
        new PerHostSessionLimit(10, 2, Duration.ofMillis(200), timer, now::get);
    limit.acquire(mx1).toCompletableFuture().join().release();
    limit.acquire(mx1).toCompletableFuture().join().release();
    CompletableFuture<HostGate.Permit> third = limit.acquire(mx1).toCompletableFuture();
    assertThat(third).isNotDone();

    now.set(Duration.ofMillis(200).toNanos()); // the window has slid past the first two starts
    HostGate.Permit permit = third.get(5, TimeUnit.SECONDS);
    assertThat(permit).isNotNull();
  }

  @Test
  void forgetsIdleHosts() {
    PerHostSessionLimit limit = new PerHostSessionLimit(1, 1000, Duration.ofNanos(1), timer);
    limit.acquire(mx1).toCompletableFuture().join().release();
    assertThat(limit.activeSessions(mx1)).isZero();
    assertThat(limit.waiting()).isZero();
  }

  private static InetAddress address(String text) {
    try {
      return InetAddress.getByName(text);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
