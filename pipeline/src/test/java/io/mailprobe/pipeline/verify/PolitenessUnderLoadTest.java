package io.mailprobe.pipeline.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailprobe.pipeline.config.SettingValues;
import io.mailprobe.pipeline.config.VerificationSettings;
import io.mailprobe.pipeline.politeness.PerHostSessionLimit;
import io.mailprobe.pipeline.smtp.SmtpProber;
import io.mailprobe.pipeline.verdict.Reason;
import io.mailprobe.pipeline.verdict.Verdict;
import io.mailprobe.testkit.dns.AuthoritativeDnsServer;
import io.mailprobe.testkit.smtp.HostBehaviour;
import io.mailprobe.testkit.smtp.HostRecord;
import io.mailprobe.testkit.smtp.SmtpSimulator;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Politeness under load (issue 6), in the verification core: 10,000 addresses of one domain, a fifth of them
 * unknown, against one simulated Postfix-like server that itself refuses sessions beyond the configured cap (421)
 * and drops a client after 20 errors. The server never sees more than {@code max-sessions-per-host} sessions at
 * once, never more starts in a window than the rate allows, and never reaches its error limit: sessions are recycled
 * after {@code max-rejections-per-session} rejected recipients.
 */
class PolitenessUnderLoadTest {

  private static final String DOMAIN = "load.test";
  private static final String MX_IP = "127.0.5.1";
  private static final int ADDRESSES = 10_000;
  private static final int CAP = 2;
  private static final int POSTFIX_ERROR_LIMIT = 20;

  private AuthoritativeDnsServer dns;
  private SmtpSimulator sim;
  private VerificationEngine engine;
  private final List<AutoCloseable> closeAfter = new ArrayList<>();

  @BeforeEach
  void startWorld() {
    List<String> known = new ArrayList<>();
    for (int i = 0; i < ADDRESSES; i++) {
      if (!unknown(i)) {
        known.add(address(i));
      }
    }
    dns = new AuthoritativeDnsServer().mx(DOMAIN, 10, "mx." + DOMAIN).a("mx." + DOMAIN, MX_IP).start();
    sim = SmtpSimulator.builder().threads(2)
        .host(MX_IP, HostBehaviour.builder().hostname("mx." + DOMAIN).mailboxes(known.toArray(String[]::new))
            .maxConcurrentSessions(CAP).errorLimit(POSTFIX_ERROR_LIMIT).recordTranscripts(false).build())
        .start();
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closeAfter) {
      c.close();
    }
    if (engine != null) {
      engine.close();
    }
    assertThat(sim.anyDataReceived()).as("no session ever sent DATA").isFalse();
    sim.close();
    dns.close();
  }

  // Every fifth address has no mailbox: 50 recipients per session would see 10 rejections, past the 8 allowed.
  private static boolean unknown(int i) {
    return i % 5 == 0;
  }

  private static String address(int i) {
    return (unknown(i) ? "nobody" : "user") + i + "@" + DOMAIN;
  }

  private VerificationEngine engine(String sessionsPerMinute) {
    return VerificationEngine.create(
        SettingValues.parse(
            List.of(
                "--dns", dns.serverSpec(),
                "--smtp-port", Integer.toString(sim.port()),
                "--helo", "probe.mailprobe.test",
                "--max-sessions-per-host", Integer.toString(CAP),
                "--sessions-per-minute-per-host", sessionsPerMinute,
                "--max-rejections-per-session", "8",
                "--recipients-per-session", "50",
                "--greylist-retries", "0",
                "--catch-all-probe", "false"),
            VerificationSettings.ALL,
            Set.of()));
  }

  private List<Pending> batch(int from, int to) {
    List<Pending> batch = new ArrayList<>();
    for (int i = from; i < to; i++) {
      Precheck.Result r = engine.precheck().check(address(i));
      batch.add(new Pending(((Precheck.Result.ToProbe) r).address(), Attempt.first(Instant.now())));
    }
    return batch;
  }

  // The 10,000 addresses as 20 probes of 500 (the job's max-addresses-per-probe) started at once, so that every
  // probe competes for the same host's slots.
  private List<CompletableFuture<DomainReport>> verifyAll(DomainVerifier verifier, int chunk) {
    List<CompletableFuture<DomainReport>> reports = new ArrayList<>();
    for (int from = 0; from < ADDRESSES; from += chunk) {
      reports.add(verifier.verify(DOMAIN, batch(from, Math.min(ADDRESSES, from + chunk)), CatchAllStatus.UNKNOWN)
          .toCompletableFuture());
    }
    return reports;
  }

  private static void assertVerdicts(List<CompletableFuture<DomainReport>> reports, int chunk) throws Exception {
    for (int r = 0; r < reports.size(); r++) {
      List<Decision> decisions = reports.get(r).get(60, TimeUnit.SECONDS).decisions();
      for (int k = 0; k < decisions.size(); k++) {
        Verdict v = decisions.get(k).verdict();
        Reason expected = unknown(r * chunk + k) ? Reason.MAILBOX_NOT_FOUND : Reason.ACCEPTED;
        assertThat(v.reason()).as("%s (%s)", v.email(), v.detail()).isEqualTo(expected);
      }
    }
  }

  @Test
  void tenThousandAddressesOfOneDomainStayWithinTheCapAndBelowTheServersErrorLimit() throws Exception {
    engine = engine("100000");
    long t0 = System.nanoTime();
    List<CompletableFuture<DomainReport>> reports = verifyAll(engine.domainVerifier(), 500);
    CompletableFuture.allOf(reports.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    long ms = (System.nanoTime() - t0) / 1_000_000;

    HostRecord mx = sim.host(MX_IP);
    System.out.printf(
        "politeness: %,d addresses of one domain in %,d ms: %d sessions, max concurrent %d (cap %d),"
            + " refused over cap %d, error-limit hits %d (limit %d, recycle after 8)%n",
        ADDRESSES, ms, mx.sessionsOpened(), mx.maxConcurrentSessions(), CAP, mx.refusedOverCap(),
        mx.errorLimitHits(), POSTFIX_ERROR_LIMIT);
    assertVerdicts(reports, 500);
    assertThat(mx.maxConcurrentSessions()).as("sessions open at once").isEqualTo(CAP);
    assertThat(mx.refusedOverCap()).as("sessions the server refused over its cap").isZero();
    assertThat(mx.errorLimitHits()).as("sessions dropped for too many errors").isZero();
    // 2,000 unknown recipients, at most 8 rejections per session: at least 250 sessions, and sessions carry many.
    assertThat(mx.sessionsOpened()).isBetween(ADDRESSES / 5 / 8, ADDRESSES / 5 / 8 + 40);
  }

  @Test
  void theRateLimitHoldsInEverySlidingWindowOnTheServersClock() throws Exception {
    engine = engine("100000");
    // The engine's limiter counts sessions per minute; the same limiter with a 500 ms window shows the sliding
    // window at work within a second of test time. Everything else is the engine's (resolver, prober settings).
    Duration window = Duration.ofMillis(500);
    int perWindow = 8;
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    closeAfter.add(timer::shutdownNow);
    PerHostSessionLimit limit = new PerHostSessionLimit(CAP, perWindow, window, timer);
    SmtpProber prober = new SmtpProber(engine.prober().settings().toBuilder().hostGate(limit).build());
    closeAfter.add(0, prober);
    DomainVerifier verifier = new DomainVerifier(engine.resolver(), prober, engine.lists().providerRules(),
        new VerdictRules(RetrySchedule.none()), 50, false, Clock.systemUTC(), new SecureRandom());

    // 2,000 addresses (400 unknown): 50 or more sessions, so about 3 s at 8 per 500 ms.
    long t0 = System.nanoTime();
    List<CompletableFuture<DomainReport>> reports = new ArrayList<>();
    for (int from = 0; from < 2_000; from += 500) {
      reports.add(verifier.verify(DOMAIN, batch(from, from + 500), CatchAllStatus.UNKNOWN).toCompletableFuture());
    }
    CompletableFuture.allOf(reports.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    long ms = (System.nanoTime() - t0) / 1_000_000;

    HostRecord mx = sim.host(MX_IP);
    // The server stamps a session when it accepts the connection, a little after the limiter let it start; allow
    // that much jitter by measuring over a window 20 ms shorter.
    int maxInWindow = mx.maxSessionsStartedWithin(window.minusMillis(20));
    System.out.printf(
        "politeness: %d sessions in %,d ms, max starts in any %d ms window %d (limit %d per %d ms),"
            + " max concurrent %d (cap %d), error-limit hits %d%n",
        mx.sessionsOpened(), ms, window.toMillis() - 20, maxInWindow, perWindow, window.toMillis(),
        mx.maxConcurrentSessions(), CAP, mx.errorLimitHits());
    assertVerdicts(reports, 500);
    assertThat(mx.sessionsOpened()).as("enough sessions to need several windows").isGreaterThan(3 * perWindow);
    assertThat(maxInWindow).as("starts in any window").isEqualTo(perWindow);
    assertThat(ms).as("the rate, not the server, set the pace")
        .isGreaterThanOrEqualTo((mx.sessionsOpened() / perWindow - 1) * window.toMillis());
    assertThat(mx.maxConcurrentSessions()).isLessThanOrEqualTo(CAP);
    assertThat(mx.errorLimitHits()).isZero();
  }

  @Test
  void thePerMinuteSettingHoldsOverSecondsOfTraffic() throws Exception {
    engine = engine("30");
    BatchVerifier batch = engine.batchVerifier(4);
    List<String> inputs = new ArrayList<>();
    for (int i = 0; i < ADDRESSES; i++) {
      inputs.add(address(i));
    }
    CompletableFuture<List<Verdict>> all = batch.verify(inputs).toCompletableFuture();
    Thread.sleep(6_000);
    HostRecord mx = sim.host(MX_IP);
    System.out.printf(
        "politeness: sessions-per-minute-per-host 30: %d sessions in the first 6 s, max concurrent %d (cap %d),"
            + " error-limit hits %d%n", mx.sessionsOpened(), mx.maxConcurrentSessions(), CAP, mx.errorLimitHits());
    assertThat(all).as("10,000 addresses at 30 sessions a minute take minutes").isNotDone();
    assertThat(mx.sessionsOpened()).as("sessions started in 6 s at 30 a minute").isEqualTo(30);
    assertThat(mx.errorLimitHits()).isZero();
    all.cancel(true);
  }

  @Test
  void slidingWindowCountOnTheServerSide() {
    // HostRecord.maxSessionsStartedWithin on its own: starts at 0, 100, 450, 500, 600 ms.
    assertThat(HostRecord.maxWithin(List.of(0L, 100L, 450L, 500L, 600L), 500)).isEqualTo(3);
    assertThat(HostRecord.maxWithin(List.of(0L, 100L, 450L, 499L, 600L), 500)).isEqualTo(4);
    assertThat(HostRecord.maxWithin(List.of(0L, 500L, 1000L), 500)).isEqualTo(1);
    assertThat(HostRecord.maxWithin(List.of(), 500)).isZero();
  }
}
