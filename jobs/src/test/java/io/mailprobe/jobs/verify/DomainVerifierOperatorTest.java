package io.mailprobe.jobs.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailprobe.connectors.json.VerdictJson.EventVerdict;
import io.mailprobe.jobs.VerificationRequest;
import io.mailprobe.pipeline.verdict.Verdict;
import io.mailprobe.testkit.DemoWorld;
import io.mailprobe.testkit.dns.AuthoritativeDnsServer;
import io.mailprobe.testkit.smtp.HostBehaviour;
import io.mailprobe.testkit.smtp.SmtpSimulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.runtime.tasks.mailbox.Mail;
import org.apache.flink.streaming.runtime.tasks.mailbox.TaskMailbox;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The keyed domain verifier in Flink's operator test harness, on the heap and on RocksDB, against the loopback DNS
 * and SMTP simulators: verdicts, greylist timers, catch-all TTL, per-host concurrency, snapshot and restore with a
 * probe in flight, and state and timers dropping to zero once every event has its verdict.
 */
class DomainVerifierOperatorTest {

  private static final long T0 = 1_800_000_000_000L;
  private static final long DELAY = 20;

  private DemoWorld world;
  private final List<AutoCloseable> closeAfter = new ArrayList<>();

  @BeforeEach
  void startWorld() {
    world = DemoWorld.start();
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closeAfter) {
      c.close();
    }
    assertThat(world.anyDataReceived()).isFalse();
    world.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"heap", "rocksdb"})
  void oneVerdictPerEventThenStateAndTimersDropToZero(String backend) throws Exception {
    var harness = harness(backend, settings(world.arguments(), "--catch-all-probe", "false", "--verdict-cache-ttl", "0s"));
    harness.processElement(request("e1", "alice@acme.test"), 0);
    harness.processElement(request("e2", "nobody@acme.test"), 0);
    harness.processElement(request("e3", "full@rows.test"), 0);
    harness.processElement(request("e4", "alice@nxdomain.test"), 0);
    harness.setProcessingTime(T0 + DELAY);

    Map<String, Verdict> out = awaitVerdicts(harness, 4);
    assertThat(out.get("e1").reason().wireName()).isEqualTo("accepted");
    assertThat(out.get("e2").reason().wireName()).isEqualTo("mailbox_not_found");
    assertThat(out.get("e3").reason().wireName()).isEqualTo("mailbox_full");
    assertThat(out.get("e4").reason().wireName()).isEqualTo("no_such_domain");
    assertThat(world.host("127.0.0.2").sessionsOpened()).as("one session for acme.test").isEqualTo(1);
    assertThat(stateEntries(harness)).isZero();
    assertThat(harness.numProcessingTimeTimers()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"heap", "rocksdb"})
  void greylistedAddressIsRetriedWhenItsTimerFires(String backend) throws Exception {
    var harness = harness(backend, settings(world.arguments(),
        "--greylist-retries", "2", "--greylist-backoff", "1m", "--catch-all-probe", "false", "--verdict-cache-ttl", "0s"));
    harness.processElement(request("g1", "alice@grey.test"), 0);
    harness.setProcessingTime(T0 + DELAY);

    awaitMailboxIdle(harness, () -> world.host("127.0.0.9").sessionsOpened() == 1);
    assertThat(harness.extractOutputValues()).as("no verdict while a retry is due").isEmpty();
    assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);
    assertThat(stateEntries(harness)).as("the pending address").isEqualTo(1);

    harness.setProcessingTime(T0 + DELAY + Duration.ofMinutes(1).toMillis());
    Verdict v = awaitVerdicts(harness, 1).get("g1");
    assertThat(v.status().wireName()).isEqualTo("deliverable");
    assertThat(v.flags().greylisted()).isTrue();
    assertThat(v.attempts()).isEqualTo(2);
    assertThat(stateEntries(harness)).isZero();
    assertThat(harness.numProcessingTimeTimers()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"heap", "rocksdb"})
  void aGreylistRetryWaitingAtASnapshotIsAskedAfterRestore(String backend) throws Exception {
    Map<String, String> settings = settings(world.arguments(),
        "--greylist-retries", "2", "--greylist-backoff", "1m", "--catch-all-probe", "false", "--verdict-cache-ttl", "0s");
    var first = harness(backend, settings);
    first.processElement(request("g1", "alice@grey.test"), 0);
    first.setProcessingTime(T0 + DELAY);
    awaitMailboxIdle(first, () -> world.host("127.0.0.9").sessionsOpened() == 1);
    OperatorSubtaskState snapshot = first.snapshot(1, T0 + DELAY);
    closeAfter.remove(first);
    first.close();

    var second = harness(backend, settings, snapshot);
    second.setProcessingTime(T0 + DELAY + Duration.ofSeconds(30).toMillis());
    second.processElement(request("g2", "bob@grey.test"), 0); // the domain's restored queue is read before g2 joins
    second.setProcessingTime(T0 + DELAY + Duration.ofMinutes(1).toMillis());
    Map<String, Verdict> out = awaitVerdicts(second, 2);
    assertThat(out.get("g1").status().wireName()).isEqualTo("deliverable");
    assertThat(out.get("g1").flags().greylisted()).isTrue();
    assertThat(out.get("g1").attempts()).isEqualTo(2);
    assertThat(out.get("g2").reason().wireName()).isEqualTo("mailbox_not_found");
    assertThat(stateEntries(second)).isZero();
    assertThat(second.numProcessingTimeTimers()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"heap", "rocksdb"})
  void catchAllResultIsReusedWithinItsTtlAndAskedAgainAfter(String backend) throws Exception {
    var harness = harness(backend, settings(world.arguments(), "--catch-all-ttl", "1h", "--verdict-cache-ttl", "0s"));
    harness.processElement(request("c1", "anyone@catchall.test"), 0);
    harness.setProcessingTime(T0 + DELAY);
    assertThat(awaitVerdicts(harness, 1).get("c1").reason().wireName()).isEqualTo("catch_all");
    assertThat(rcptsOfSession(0)).isEqualTo(2); // the address, then the probe

    harness.setProcessingTime(T0 + Duration.ofMinutes(30).toMillis());
    harness.setStateTtlProcessingTime(T0 + Duration.ofMinutes(30).toMillis());
    harness.processElement(request("c2", "another@catchall.test"), 0);
    harness.setProcessingTime(T0 + Duration.ofMinutes(30).toMillis() + DELAY);
    assertThat(awaitVerdicts(harness, 2).get("c2").reason().wireName()).isEqualTo("catch_all");
    assertThat(rcptsOfSession(1)).as("known catch-all: no probe").isEqualTo(1);

    harness.setProcessingTime(T0 + Duration.ofMinutes(61).toMillis());
    harness.setStateTtlProcessingTime(T0 + Duration.ofMinutes(61).toMillis());
    harness.processElement(request("c3", "third@catchall.test"), 0);
    harness.setProcessingTime(T0 + Duration.ofMinutes(61).toMillis() + DELAY);
    assertThat(awaitVerdicts(harness, 3).get("c3").reason().wireName()).isEqualTo("catch_all");
    assertThat(rcptsOfSession(2)).as("expired: probed again").isEqualTo(2);
  }

  @ParameterizedTest
  @ValueSource(strings = {"heap", "rocksdb"})
  void aRepeatedAddressGetsTheRecentVerdictWithoutANewProbe(String backend) throws Exception {
    var harness = harness(backend, settings(world.arguments(), "--catch-all-probe", "false", "--verdict-cache-ttl", "1h"));
    harness.processElement(request("v1", "alice@acme.test"), 0);
    harness.setProcessingTime(T0 + DELAY);
    assertThat(awaitVerdicts(harness, 1).get("v1").reason().wireName()).isEqualTo("accepted");

    harness.setProcessingTime(T0 + Duration.ofMinutes(10).toMillis());
    harness.setStateTtlProcessingTime(T0 + Duration.ofMinutes(10).toMillis());
    harness.processElement(request("v2", "alice@acme.test"), 0);
    harness.setProcessingTime(T0 + Duration.ofMinutes(10).toMillis() + DELAY);
    Verdict again = awaitVerdicts(harness, 2).get("v2");
    assertThat(again.reason().wireName()).isEqualTo("accepted");
    assertThat(again.email()).isEqualTo("alice@acme.test");
    assertThat(world.host("127.0.0.2").sessionsOpened()).as("answered from the recent verdicts").isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"heap", "rocksdb"})
  void sessionsPerMailServerNeverExceedTheCap(String backend) throws Exception {
    AuthoritativeDnsServer dns = new AuthoritativeDnsServer();
    SmtpSimulator smtp = SmtpSimulator.builder()
        .host("127.0.0.30", HostBehaviour.builder().hostname("mx.shared.test").catchAll()
            .replyLatency(Duration.ofMillis(40)).build())
        .start();
    closeAfter.add(smtp);
    closeAfter.add(dns);
    for (int d = 0; d < 12; d++) {
      dns.mx("d" + d + ".shared.test", 10, "mx.shared.test");
    }
    dns.a("mx.shared.test", "127.0.0.30").start();
    var harness = harness(backend, settings(List.of("--dns", dns.serverSpec(), "--smtp-port", Integer.toString(smtp.port()),
        "--helo", "checker.mailprobe.test", "--max-sessions-per-host", "2", "--catch-all-probe", "false")));
    int events = 0;
    for (int d = 0; d < 12; d++) {
      for (int a = 0; a < 3; a++) {
        harness.processElement(new VerificationRequest("s" + events++, "user" + a + "@d" + d + ".shared.test", "d" + d + ".shared.test"), 0);
      }
    }
    harness.setProcessingTime(T0 + DELAY);
    assertThat(awaitVerdicts(harness, events)).hasSize(events);
    assertThat(smtp.host("127.0.0.30").maxConcurrentSessions()).isBetween(1, 2);
    assertThat(smtp.host("127.0.0.30").sessionsOpened()).isEqualTo(12); // one per domain
  }

  @ParameterizedTest
  @ValueSource(strings = {"heap", "rocksdb"})
  void probesInFlightAtASnapshotAreAskedAgainAfterRestoreAndAnsweredOnce(String backend) throws Exception {
    OneDomain slow = oneDomain("slow.test", "127.0.0.31", Duration.ofMillis(400), "a@slow.test", "b@slow.test");
    SmtpSimulator smtp = slow.smtp();
    Map<String, String> settings = settings(slow.arguments(),
        "--catch-all-probe", "false", "--command-timeout", "5s", "--verdict-cache-ttl", "0s");

    var first = harness(backend, settings);
    first.processElement(new VerificationRequest("r1", "a@slow.test", "slow.test"), 0);
    first.processElement(new VerificationRequest("r2", "b@slow.test", "slow.test"), 0);
    first.processElement(new VerificationRequest("r3", "c@slow.test", "slow.test"), 0);
    first.setProcessingTime(T0 + DELAY);
    awaitMailboxIdle(first, () -> smtp.host("127.0.0.31").sessionsOpened() == 1);
    OperatorSubtaskState snapshot = first.snapshot(1, T0 + DELAY);
    assertThat(first.extractOutputValues()).as("the probe is still running at the snapshot").isEmpty();
    closeAfter.remove(first);
    first.close(); // the task dies with its probe in flight

    var second = harness(backend, settings, snapshot);
    second.setProcessingTime(T0 + DELAY + 1);
    Map<String, Verdict> out = awaitVerdicts(second, 3);
    assertThat(out.get("r1").reason().wireName()).isEqualTo("accepted");
    assertThat(out.get("r2").reason().wireName()).isEqualTo("accepted");
    assertThat(out.get("r3").reason().wireName()).isEqualTo("mailbox_not_found");
    awaitMailboxIdle(second, () -> true);
    assertThat(second.extractOutputValues()).as("exactly one verdict per event").hasSize(3);
    assertThat(smtp.host("127.0.0.31").sessionsOpened()).as("asked again after the restore").isEqualTo(2);
    assertThat(stateEntries(second)).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"heap", "rocksdb"})
  void addressesArrivingDuringAProbeJoinItsOpenSession(String backend) throws Exception {
    OneDomain busy = oneDomain("busy.test", "127.0.0.32", Duration.ofMillis(150), "a@busy.test", "b@busy.test");
    SmtpSimulator smtp = busy.smtp();
    var harness = harness(backend, settings(busy.arguments(), "--verdict-cache-ttl", "0s"));

    harness.processElement(new VerificationRequest("j1", "a@busy.test", "busy.test"), 0);
    harness.setProcessingTime(T0 + DELAY);
    awaitMailboxIdle(harness, () -> smtp.host("127.0.0.32").commands().size() >= 1); // the session is open
    harness.processElement(new VerificationRequest("j2", "b@busy.test", "busy.test"), 0);
    harness.processElement(new VerificationRequest("j3", "c@busy.test", "busy.test"), 0);

    Map<String, Verdict> out = awaitVerdicts(harness, 3);
    assertThat(out.get("j1").reason().wireName()).isEqualTo("accepted");
    assertThat(out.get("j2").reason().wireName()).isEqualTo("accepted");
    assertThat(out.get("j3").reason().wireName()).isEqualTo("mailbox_not_found");
    assertThat(smtp.host("127.0.0.32").sessionsOpened()).as("the late addresses joined the open session").isEqualTo(1);
    List<String> rcpts = smtp.host("127.0.0.32").commands().stream().filter(c -> c.startsWith("RCPT")).toList();
    assertThat(rcpts).hasSize(4).startsWith("RCPT TO:<a@busy.test>", "RCPT TO:<b@busy.test>", "RCPT TO:<c@busy.test>");
    awaitMailboxIdle(harness, () -> true);
    assertThat(harness.extractOutputValues()).as("exactly one verdict per event").hasSize(3);
    assertThat(stateEntries(harness)).as("only the catch-all status stays").isEqualTo(1);
    assertThat(harness.numProcessingTimeTimers()).isZero();
  }

  /** One domain on one simulated mail server, and the arguments that point the job at it. */
  private record OneDomain(SmtpSimulator smtp, List<String> arguments) {}

  // Closed after the test with everything else it started.
  private OneDomain oneDomain(String domain, String ip, Duration latency, String... mailboxes) {
    AuthoritativeDnsServer dns = new AuthoritativeDnsServer();
    SmtpSimulator smtp = SmtpSimulator.builder()
        .host(ip, HostBehaviour.builder().hostname("mx." + domain).mailboxes(mailboxes).replyLatency(latency).build())
        .start();
    closeAfter.add(smtp);
    closeAfter.add(dns);
    dns.mx(domain, 10, "mx." + domain).a("mx." + domain, ip).start();
    return new OneDomain(smtp, List.of("--dns", dns.serverSpec(), "--smtp-port", Integer.toString(smtp.port()),
        "--helo", "checker.mailprobe.test"));
  }

  // Keyed state entries of every state the operator keeps, counted the same way on the heap and on RocksDB.
  private static long stateEntries(
      KeyedOneInputStreamOperatorTestHarness<String, VerificationRequest, EventVerdict> harness) throws Exception {
    DomainVerifierOperator op = (DomainVerifierOperator) harness.getOperator();
    long n = 0;
    for (String state : List.of(DomainVerifierOperator.PENDING, DomainVerifierOperator.PROBING,
        DomainVerifierOperator.CATCH_ALL, DomainVerifierOperator.RECENT, DomainVerifierOperator.HEALTH)) {
      try (var keys = op.<String>getKeyedStateBackend().getKeys(state, VoidNamespace.INSTANCE)) {
        n += keys.count();
      }
    }
    return n;
  }

  private int rcptsOfSession(int session) {
    return (int) world.host("127.0.0.3").transcripts().get(session).stream().filter(c -> c.startsWith("RCPT")).count();
  }

  private KeyedOneInputStreamOperatorTestHarness<String, VerificationRequest, EventVerdict> harness(
      String backend, Map<String, String> settings) throws Exception {
    return harness(backend, settings, null);
  }

  private KeyedOneInputStreamOperatorTestHarness<String, VerificationRequest, EventVerdict> harness(
      String backend, Map<String, String> settings, OperatorSubtaskState restoreFrom) throws Exception {
    var harness = new KeyedOneInputStreamOperatorTestHarness<>(
        new DomainVerifierOperatorFactory(settings), VerificationRequest::domain, Types.STRING);
    StateBackend state = backend.equals("rocksdb") ? new EmbeddedRocksDBStateBackend() : new HashMapStateBackend();
    harness.setStateBackend(state);
    harness.setProcessingTime(T0);
    harness.setStateTtlProcessingTime(T0);
    if (restoreFrom != null) {
      harness.initializeState(restoreFrom);
    }
    harness.open();
    closeAfter.add(0, harness);
    return harness;
  }

  private static VerificationRequest request(String eventId, String email) {
    return new VerificationRequest(eventId, email, email.substring(email.indexOf('@') + 1));
  }

  private static Map<String, String> settings(List<String> args, String... more) {
    List<String> all = new ArrayList<>(args);
    all.addAll(List.of("--probe-delay", DELAY + "ms"));
    all.addAll(List.of(more));
    Map<String, String> out = new HashMap<>();
    for (int i = 0; i < all.size(); i += 2) {
      out.put(all.get(i).substring(2), all.get(i + 1));
    }
    return out;
  }

  // Runs the probe completions that arrive on the mailbox until `n` verdicts are out (bounded in time).
  private static Map<String, Verdict> awaitVerdicts(
      KeyedOneInputStreamOperatorTestHarness<String, VerificationRequest, EventVerdict> harness, int n) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (harness.extractOutputValues().size() < n && System.nanoTime() < deadline) {
      runOneMail(harness);
    }
    Map<String, Verdict> out = new HashMap<>();
    for (EventVerdict ev : harness.extractOutputValues()) {
      assertThat(out.put(ev.eventId(), ev.verdict())).as("a second verdict for %s", ev.eventId()).isNull();
    }
    assertThat(out).as("verdicts within 20 s").hasSize(n);
    return out;
  }

  private static void awaitMailboxIdle(
      KeyedOneInputStreamOperatorTestHarness<String, VerificationRequest, EventVerdict> harness,
      java.util.function.BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    long quietSince = System.nanoTime();
    while (System.nanoTime() < deadline) {
      if (runOneMail(harness)) {
        quietSince = System.nanoTime();
      } else if (condition.getAsBoolean() && System.nanoTime() - quietSince > Duration.ofMillis(300).toNanos()) {
        return;
      }
    }
  }

  private static boolean runOneMail(
      KeyedOneInputStreamOperatorTestHarness<String, VerificationRequest, EventVerdict> harness) throws Exception {
    Optional<Mail> mail = harness.getTaskMailbox().tryTake(TaskMailbox.MIN_PRIORITY);
    if (mail.isPresent()) {
      mail.get().run();
      return true;
    }
    Thread.sleep(5);
    return false;
  }
}
