package io.mailprobe.jobs.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailprobe.connectors.json.VerdictJson.EventVerdict;
import io.mailprobe.jobs.VerificationRequest;
import io.mailprobe.testkit.dns.AuthoritativeDnsServer;
import io.mailprobe.testkit.smtp.HostBehaviour;
import io.mailprobe.testkit.smtp.HostRecord;
import io.mailprobe.testkit.smtp.SmtpSimulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.streaming.runtime.tasks.mailbox.Mail;
import org.apache.flink.streaming.runtime.tasks.mailbox.TaskMailbox;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Politeness under load (issue 6), through the job's keyed operator: 10,000 signups of one domain (and, so that
 * probes running at once compete for the server's slots, of 20 domains hosted on the same server), a fifth of them
 * unknown, against one simulated Postfix-like server with the configured session cap (it refuses more with 421) and
 * Postfix's error limit of 20. The server never sees more than {@code max-sessions-per-host} sessions at once nor
 * reaches its error limit, every event gets one verdict, and a low {@code sessions-per-minute-per-host} holds over
 * seconds of traffic.
 */
class PolitenessUnderLoadOperatorTest {

  private static final long T0 = 1_800_000_000_000L;
  private static final long DELAY = 20;
  private static final String DOMAIN = "load.test";
  private static final int SHARED_DOMAINS = 20;
  private static final String MX_IP = "127.0.5.2";
  private static final int ADDRESSES = 10_000;
  private static final int CAP = 2;

  private AuthoritativeDnsServer dns;
  private SmtpSimulator sim;
  private KeyedOneInputStreamOperatorTestHarness<String, VerificationRequest, EventVerdict> harness;

  @BeforeEach
  void startWorld() {
    List<String> known = new ArrayList<>();
    for (int i = 0; i < ADDRESSES; i++) {
      if (!unknown(i)) {
        known.add(address(i, 1));
        known.add(address(i, SHARED_DOMAINS));
      }
    }
    dns = new AuthoritativeDnsServer().mx(DOMAIN, 10, "mx." + DOMAIN).a("mx." + DOMAIN, MX_IP);
    for (int d = 0; d < SHARED_DOMAINS; d++) {
      dns.mx("d" + d + "." + DOMAIN, 10, "mx." + DOMAIN); // hosted on the same server, as big providers do
    }
    dns.start();
    sim = SmtpSimulator.builder().threads(2)
        .host(MX_IP, HostBehaviour.builder().hostname("mx." + DOMAIN).mailboxes(known.toArray(String[]::new))
            .maxConcurrentSessions(CAP).errorLimit(20).recordTranscripts(false).build())
        .start();
  }

  @AfterEach
  void stop() throws Exception {
    if (harness != null) {
      harness.close();
    }
    assertThat(sim.anyDataReceived()).as("no session ever sent DATA").isFalse();
    sim.close();
    dns.close();
  }

  private static boolean unknown(int i) {
    return i % 5 == 0;
  }

  // Address i of 10,000 spread over `domains` domains (1: all of load.test) that share one mail server.
  private static String address(int i, int domains) {
    return (unknown(i) ? "nobody" : "user") + i + "@" + domain(i, domains);
  }

  private static String domain(int i, int domains) {
    return domains == 1 ? DOMAIN : "d" + (i % domains) + "." + DOMAIN;
  }

  private void open(String sessionsPerMinute, int domains) throws Exception {
    Map<String, String> settings = new HashMap<>();
    settings.put("dns", dns.serverSpec());
    settings.put("smtp-port", Integer.toString(sim.port()));
    settings.put("helo", "checker.mailprobe.test");
    settings.put("max-sessions-per-host", Integer.toString(CAP));
    settings.put("sessions-per-minute-per-host", sessionsPerMinute);
    settings.put("max-rejections-per-session", "8");
    settings.put("catch-all-probe", "false");
    settings.put("verdict-cache-ttl", "0s");
    settings.put("probe-delay", DELAY + "ms");
    harness = new KeyedOneInputStreamOperatorTestHarness<>(
        new DomainVerifierOperatorFactory(settings), VerificationRequest::domain, Types.STRING);
    harness.setStateBackend(new HashMapStateBackend());
    harness.setProcessingTime(T0);
    harness.setStateTtlProcessingTime(T0);
    harness.open();
    for (int i = 0; i < ADDRESSES; i++) {
      harness.processElement(new VerificationRequest("e" + i, address(i, domains), domain(i, domains)), 0);
    }
    harness.setProcessingTime(T0 + DELAY);
  }

  @ParameterizedTest(name = "{0} domain(s)")
  @ValueSource(ints = {1, SHARED_DOMAINS})
  void tenThousandSignupsOnOneServerStayWithinTheCapAndBelowItsErrorLimit(int domains) throws Exception {
    long t0 = System.nanoTime();
    open("100000", domains);
    pump(Duration.ofSeconds(40), () -> harness.extractOutputValues().size() >= ADDRESSES);
    long ms = (System.nanoTime() - t0) / 1_000_000;

    Map<String, EventVerdict> out = new HashMap<>();
    for (EventVerdict v : harness.extractOutputValues()) {
      assertThat(out.put(v.eventId(), v)).as("a second verdict for %s", v.eventId()).isNull();
    }
    assertThat(out).hasSize(ADDRESSES);
    for (int i = 0; i < ADDRESSES; i++) {
      assertThat(out.get("e" + i).verdict().reason().wireName()).as(address(i, domains))
          .isEqualTo(unknown(i) ? "mailbox_not_found" : "accepted");
    }
    HostRecord mx = sim.host(MX_IP);
    System.out.printf(
        "politeness (operator): %,d signups of %d domain(s) on one server in %,d ms: %d sessions, max concurrent %d"
            + " (cap %d), refused over cap %d, error-limit hits %d (limit 20, recycle after 8)%n",
        ADDRESSES, domains, ms, mx.sessionsOpened(), mx.maxConcurrentSessions(), CAP, mx.refusedOverCap(), mx.errorLimitHits());
    if (domains > 1) {
      assertThat(mx.maxConcurrentSessions()).as("probes of several domains share the cap").isEqualTo(CAP);
    }
    assertThat(mx.maxConcurrentSessions()).isBetween(1, CAP);
    assertThat(mx.refusedOverCap()).isZero();
    assertThat(mx.errorLimitHits()).isZero();
    assertThat(mx.sessionsOpened()).isGreaterThanOrEqualTo(ADDRESSES / 5 / 8);
  }

  @Test
  void thirtySessionsPerMinuteHoldOverSecondsOfTraffic() throws Exception {
    open("30", 1);
    pump(Duration.ofSeconds(8), () -> false);
    HostRecord mx = sim.host(MX_IP);
    int verdicts = harness.extractOutputValues().size();
    System.out.printf(
        "politeness (operator): sessions-per-minute-per-host 30: %d sessions and %,d verdicts in 8 s,"
            + " max concurrent %d (cap %d), error-limit hits %d%n",
        mx.sessionsOpened(), verdicts, mx.maxConcurrentSessions(), CAP, mx.errorLimitHits());
    assertThat(mx.sessionsOpened()).as("sessions started in 8 s at 30 a minute").isBetween(1, 30);
    assertThat(mx.maxSessionsStartedWithin(Duration.ofMinutes(1))).isLessThanOrEqualTo(30);
    assertThat(verdicts).as("verdicts come as the rate allows, not all at once").isBetween(1, ADDRESSES - 1);
    assertThat(mx.maxConcurrentSessions()).isLessThanOrEqualTo(CAP);
    assertThat(mx.errorLimitHits()).isZero();
    // Cancel rather than end the input: the harness's close() would first finish(), which lets running probes
    // deliver, at 30 sessions a minute.
    harness.getOperator().close();
    harness = null;
  }

  // Runs the completions that arrive on the task's mailbox until `done` or `limit` has passed.
  private void pump(Duration limit, java.util.function.BooleanSupplier done) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!done.getAsBoolean() && System.nanoTime() < deadline) {
      Optional<Mail> mail = harness.getTaskMailbox().tryTake(TaskMailbox.MIN_PRIORITY);
      if (mail.isPresent()) {
        mail.get().run();
      } else {
        Thread.sleep(2);
      }
    }
  }
}
