package io.mailprobe.pipeline.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailprobe.pipeline.config.SettingValues;
import io.mailprobe.pipeline.config.VerificationSettings;
import io.mailprobe.pipeline.dns.MxHost;
import io.mailprobe.pipeline.smtp.ProbeRequest;
import io.mailprobe.pipeline.smtp.ProbeResult;
import io.mailprobe.pipeline.smtp.RcptOutcome;
import io.mailprobe.pipeline.smtp.SmtpClientSettings;
import io.mailprobe.pipeline.smtp.SmtpProber;
import io.mailprobe.pipeline.verdict.Reason;
import io.mailprobe.pipeline.verdict.Status;
import io.mailprobe.pipeline.verdict.Verdict;
import io.mailprobe.testkit.dns.AuthoritativeDnsServer;
import io.mailprobe.testkit.smtp.CommandRule;
import io.mailprobe.testkit.smtp.HostBehaviour;
import io.mailprobe.testkit.smtp.SmtpSimulator;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Hostile mail servers (issue 6): each one ends within its configured deadline (plus a small margin) with an unknown
 * verdict and a specific reason, while well-behaved domains probed at the same time keep their throughput; 1,000
 * hostile sessions open at once keep the heap bounded. Prints a table (behaviour, deadline, observed end, verdict).
 */
class HostileServersTest {

  private static final Duration CONNECT = Duration.ofSeconds(1);
  private static final Duration BANNER = Duration.ofSeconds(2);
  private static final Duration COMMAND = Duration.ofSeconds(2);
  private static final long MARGIN_MS = 700;
  private static final int NORMAL_DOMAINS = 4;
  private static final int NORMAL_ADDRESSES = 150;

  /** One hostile server: how it behaves, the deadline the settings give it, and the reason it must end with. */
  record Hostile(String name, HostBehaviour behaviour, Duration deadline, Set<Reason> reasons) {}

  private AuthoritativeDnsServer dns;
  private SmtpSimulator sim;
  private VerificationEngine engine;

  @AfterEach
  void stop() {
    if (engine != null) {
      engine.close();
    }
    if (sim != null) {
      assertThat(sim.anyDataReceived()).as("no session ever sent DATA").isFalse();
      sim.close();
    }
    if (dns != null) {
      dns.close();
    }
  }

  static List<Hostile> hostiles() {
    String huge = "x".repeat(10_000);
    return List.of(
        new Hostile("tarpit (no banner)", HostBehaviour.builder().tarpit().build(), BANNER, Set.of(Reason.TIMEOUT)),
        new Hostile("1 byte/s drip (EHLO reply)",
            HostBehaviour.builder().rule(CommandRule.when("EHLO").reply(250, "drip.hostile.test").drip(Duration.ofSeconds(1))).build(),
            COMMAND, Set.of(Reason.TIMEOUT)),
        new Hostile("endless multi-line reply (EHLO)",
            HostBehaviour.builder().rule(CommandRule.when("EHLO").reply(250, "PIPELINING").endless()).build(),
            COMMAND, Set.of(Reason.CONNECTION_FAILED, Reason.BLOCKED)),
        new Hostile("reply line over the limit (10,000 chars)",
            HostBehaviour.builder().rule(CommandRule.when("EHLO").reply(250, huge)).build(),
            COMMAND, Set.of(Reason.CONNECTION_FAILED, Reason.BLOCKED)),
        new Hostile("binary garbage banner", HostBehaviour.builder().garbageBanner().build(), BANNER,
            Set.of(Reason.CONNECTION_FAILED, Reason.BLOCKED)),
        new Hostile("TLS handshake stalls (TLS required)",
            HostBehaviour.builder().tlsRequired()
                .rule(CommandRule.when("STARTTLS").reply(220, "2.0.0 Ready to start TLS").thenStall()).build(),
            // handshake timeout (= command timeout), then one plain-text redial that is refused TLS-less
            COMMAND.plus(COMMAND), Set.of(Reason.TLS_REQUIRED)),
        new Hostile("connection reset mid-reply (RCPT)",
            HostBehaviour.builder().rule(CommandRule.when("RCPT").reply(250, "2.1.5 Ok").resetMidReply()).build(),
            COMMAND, Set.of(Reason.CONNECTION_FAILED)),
        new Hostile("accepts, never answers RCPT",
            HostBehaviour.builder().rule(CommandRule.when("RCPT")).build(), COMMAND, Set.of(Reason.TIMEOUT)),
        new Hostile("421 storm (every RCPT, then close)",
            HostBehaviour.builder().rule(CommandRule.when("RCPT").reply(421, "4.7.0 Try again later, closing connection").thenClose()).build(),
            COMMAND, Set.of(Reason.RATE_LIMITED)),
        new Hostile("421 storm at the banner",
            HostBehaviour.builder().banner(421, "4.3.2 Service not available, closing transmission channel").build(),
            BANNER, Set.of(Reason.RATE_LIMITED, Reason.BLOCKED)));
  }

  private static String hostileDomain(int i) {
    return "h" + i + ".hostile.test";
  }

  private static String normalDomain(int i) {
    return "n" + i + ".normal.test";
  }

  private void startWorld(List<Hostile> hostiles) {
    dns = new AuthoritativeDnsServer();
    SmtpSimulator.Builder b = SmtpSimulator.builder().threads(2);
    for (int i = 0; i < hostiles.size(); i++) {
      String ip = "127.0.3." + (i + 1);
      dns.mx(hostileDomain(i), 10, "mx." + hostileDomain(i)).a("mx." + hostileDomain(i), ip);
      b.host(ip, hostiles.get(i).behaviour());
    }
    for (int i = 0; i < NORMAL_DOMAINS; i++) {
      String ip = "127.0.4." + (i + 1);
      dns.mx(normalDomain(i), 10, "mx." + normalDomain(i)).a("mx." + normalDomain(i), ip);
      String[] boxes = new String[NORMAL_ADDRESSES];
      for (int a = 0; a < NORMAL_ADDRESSES; a++) {
        boxes[a] = "user" + a + "@" + normalDomain(i);
      }
      b.host(ip, HostBehaviour.builder().mailboxes(boxes).replyLatency(Duration.ofMillis(2)).build());
    }
    dns.start();
    sim = b.start();
    engine =
        VerificationEngine.create(
            SettingValues.parse(
                List.of(
                    "--dns", dns.serverSpec(),
                    "--smtp-port", Integer.toString(sim.port()),
                    "--helo", "probe.mailprobe.test",
                    "--mail-from", "probe@mailprobe.test",
                    "--dns-timeout", "1s",
                    "--connect-timeout", CONNECT.toMillis() + "ms",
                    "--banner-timeout", BANNER.toMillis() + "ms",
                    "--command-timeout", COMMAND.toMillis() + "ms",
                    "--greylist-retries", "0",
                    "--catch-all-probe", "false"),
                VerificationSettings.ALL,
                Set.of()));
  }

  private CompletableFuture<DomainReport> verify(String domain, List<String> emails) {
    List<Pending> batch = new ArrayList<>();
    for (String e : emails) {
      Precheck.Result r = engine.precheck().check(e);
      assertThat(r).as(e).isInstanceOf(Precheck.Result.ToProbe.class);
      batch.add(new Pending(((Precheck.Result.ToProbe) r).address(), Attempt.first(Instant.now())));
    }
    return engine.domainVerifier().verify(domain, batch, CatchAllStatus.UNKNOWN).toCompletableFuture();
  }

  private static List<String> normalAddresses(int domain) {
    List<String> out = new ArrayList<>();
    for (int a = 0; a < NORMAL_ADDRESSES; a++) {
      out.add("user" + a + "@" + normalDomain(domain));
    }
    return out;
  }

  // Probes every normal domain at once; the time until the last one is done.
  private long normalRound() throws Exception {
    long t0 = System.nanoTime();
    List<CompletableFuture<DomainReport>> all = new ArrayList<>();
    for (int i = 0; i < NORMAL_DOMAINS; i++) {
      all.add(verify(normalDomain(i), normalAddresses(i)));
    }
    for (CompletableFuture<DomainReport> f : all) {
      DomainReport r = f.get(30, TimeUnit.SECONDS);
      assertThat(r.decisions()).allSatisfy(d -> assertThat(d.verdict().status()).isEqualTo(Status.DELIVERABLE));
    }
    return (System.nanoTime() - t0) / 1_000_000;
  }

  @Test
  void everyHostileServerEndsWithinItsDeadlineWithAnUnknownVerdictWhileOthersKeepTheirPace() throws Exception {
    List<Hostile> hostiles = hostiles();
    startWorld(hostiles);
    normalRound(); // warm up (JIT, DNS cache)
    long alone = normalRound();

    long t0 = System.nanoTime();
    List<CompletableFuture<DomainReport>> reports = new ArrayList<>();
    List<AtomicLong> ended = new ArrayList<>();
    for (int i = 0; i < hostiles.size(); i++) {
      AtomicLong end = new AtomicLong();
      ended.add(end);
      reports.add(verify(hostileDomain(i), List.of("someone@" + hostileDomain(i)))
          .whenComplete((r, e) -> end.set((System.nanoTime() - t0) / 1_000_000)));
    }
    long beside = normalRound(); // the well-behaved domains while every hostile server holds its sessions

    StringBuilder table = new StringBuilder();
    table.append(String.format("%n%-42s %9s %9s  %-28s %s%n", "behaviour", "deadline", "ended", "verdict", "detail"));
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < hostiles.size(); i++) {
      Hostile h = hostiles.get(i);
      Verdict v = reports.get(i).get(60, TimeUnit.SECONDS).decisions().get(0).verdict();
      long end = ended.get(i).get();
      table.append(String.format("%-42s %7d ms %6d ms  %-28s %s%n", h.name(), h.deadline().toMillis(), end,
          v.status().wireName() + "/" + v.reason().wireName(), v.detail()));
      if (end > h.deadline().toMillis() + MARGIN_MS) {
        failures.add(h.name() + ": ended after " + end + " ms, deadline " + h.deadline().toMillis() + " ms");
      }
      if (v.status() != Status.UNKNOWN || !h.reasons().contains(v.reason())) {
        failures.add(h.name() + ": " + v.status() + "/" + v.reason() + ", expected unknown/" + h.reasons());
      }
      if (v.detail() == null || v.detail().isBlank()) {
        failures.add(h.name() + ": no detail");
      }
    }
    table.append(String.format("well-behaved domains (%d x %d addresses): %d ms alone, %d ms beside the hostile ones%n",
        NORMAL_DOMAINS, NORMAL_ADDRESSES, alone, beside));
    System.out.println(table);
    assertThat(failures).as(table.toString()).isEmpty();
    // Throughput of the others: a hostile server costs a slot, not the prober.
    assertThat(beside).as("well-behaved domains beside hostile servers").isLessThan(Math.max(2 * alone, alone + 500));
  }

  @Test
  void aThousandHostileSessionsAtOnceKeepTheHeapBounded() throws Exception {
    // Every session at once on one prober: tarpits, drips, endless replies and over-long lines, 250 of each.
    String huge = "y".repeat(20_000);
    List<HostBehaviour> kinds = List.of(
        HostBehaviour.builder().tarpit().recordTranscripts(false).build(),
        HostBehaviour.builder().rule(CommandRule.when("EHLO").reply(250, "drip").drip(Duration.ofMillis(1000)))
            .recordTranscripts(false).build(),
        HostBehaviour.builder().rule(CommandRule.when("EHLO").reply(250, "PIPELINING").endless())
            .recordTranscripts(false).build(),
        HostBehaviour.builder().rule(CommandRule.when("EHLO").reply(250, huge)).recordTranscripts(false).build());
    SmtpSimulator.Builder b = SmtpSimulator.builder().threads(2);
    for (int k = 0; k < kinds.size(); k++) {
      b.host("127.0.5." + (k + 1), kinds.get(k));
    }
    sim = b.start();
    SmtpClientSettings settings = SmtpClientSettings.builder()
        .port(sim.port())
        .heloName("probe.mailprobe.test")
        .mailFrom("probe@mailprobe.test")
        .connectTimeout(Duration.ofSeconds(5))
        .bannerTimeout(Duration.ofSeconds(3))
        .commandTimeout(Duration.ofSeconds(3))
        .build();
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    System.gc();
    long before = memory.getHeapMemoryUsage().getUsed();
    AtomicLong peak = new AtomicLong(before);
    AtomicLong peakOpen = new AtomicLong();
    int sessions = 1000;
    try (SmtpProber prober = new SmtpProber(settings)) {
      Thread sampler = new Thread(() -> {
        while (!Thread.currentThread().isInterrupted()) {
          peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
          peakOpen.accumulateAndGet(prober.sessionsInFlight(), Math::max);
          try {
            Thread.sleep(10);
          } catch (InterruptedException e) {
            return;
          }
        }
      });
      sampler.start();
      long t0 = System.nanoTime();
      List<CompletableFuture<ProbeResult>> all = new ArrayList<>();
      for (int i = 0; i < sessions; i++) {
        String ip = "127.0.5." + (i % kinds.size() + 1);
        MxHost mx = new MxHost("mx" + i + ".hostile.test", 10, List.of(InetAddress.getByName(ip)), false);
        all.add(prober.probe(new ProbeRequest("hostile.test", List.of(mx), List.of("a@hostile.test"), null, 50))
            .toCompletableFuture());
      }
      Map<String, Integer> kindsSeen = new LinkedHashMap<>();
      for (CompletableFuture<ProbeResult> f : all) {
        RcptOutcome o = f.get(60, TimeUnit.SECONDS).outcomes().get(0);
        assertThat(o).isInstanceOf(RcptOutcome.Unanswered.class);
        kindsSeen.merge(((RcptOutcome.Unanswered) o).failure().kind().name(), 1, Integer::sum);
      }
      long wall = (System.nanoTime() - t0) / 1_000_000;
      sampler.interrupt();
      sampler.join();
      long peakMb = peak.get() >> 20;
      System.out.printf("%n%d hostile sessions at once: peak %d open, all ended in %d ms (%s); heap used %d MB before,"
              + " peak %d MB (+%d MB)%n",
          sessions, peakOpen.get(), wall, kindsSeen, before >> 20, peakMb, (peak.get() - before) >> 20);
      assertThat(peakOpen.get()).as("sessions open at once").isGreaterThanOrEqualTo(sessions * 9 / 10);
      // Replies are bounded (64 KiB per session by default): 1,000 sessions cannot take more than ~64 MiB of reply
      // buffers, plus the simulator's and the test's own.
      assertThat(peak.get() - before).as("heap growth with %d hostile sessions", sessions).isLessThan(256L << 20);
    }
  }
}
