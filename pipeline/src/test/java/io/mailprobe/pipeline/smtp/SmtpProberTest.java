package io.mailprobe.pipeline.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailprobe.pipeline.dns.MxHost;
import io.mailprobe.testkit.smtp.CommandRule;
import io.mailprobe.testkit.smtp.HostBehaviour;
import io.mailprobe.testkit.smtp.HostRecord;
import io.mailprobe.testkit.smtp.LoopbackSocks5Proxy;
import io.mailprobe.testkit.smtp.SmtpSimulator;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SmtpProberTest {

  private SmtpSimulator sim;
  private SmtpProber prober;

  @AfterEach
  void tearDown() {
    if (prober != null) {
      prober.close();
    }
    if (sim != null) {
      assertThat(sim.anyDataReceived()).as("a prober never sends DATA").isFalse();
      sim.close();
    }
  }

  // ---- fixtures ---------------------------------------------------------------------------------------------

  private SmtpSimulator start(SmtpSimulator.Builder builder) {
    sim = builder.start();
    return sim;
  }

  private SmtpClientSettings.Builder settings() {
    return SmtpClientSettings.builder()
        .port(sim.port())
        .heloName("probe.mailprobe.test")
        .mailFrom("verify@mailprobe.test")
        .connectTimeout(Duration.ofSeconds(1))
        .bannerTimeout(Duration.ofSeconds(2))
        .commandTimeout(Duration.ofSeconds(2));
  }

  private SmtpProber prober(SmtpClientSettings.Builder settings) {
    prober = new SmtpProber(settings.build());
    return prober;
  }

  static MxHost mx(String name, String... addresses) {
    List<InetAddress> list = new ArrayList<>();
    for (String a : addresses) {
      try {
        list.add(InetAddress.getByName(a));
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException(e);
      }
    }
    return new MxHost(name, 10, list, false);
  }

  static ProbeRequest request(List<MxHost> exchangers, List<String> recipients, String probe, int perSession) {
    return new ProbeRequest("example.com", exchangers, recipients, probe, perSession);
  }

  static ProbeResult await(java.util.concurrent.CompletionStage<ProbeResult> stage) throws Exception {
    return stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  static RcptOutcome.Answered answered(RcptOutcome outcome) {
    assertThat(outcome).isInstanceOf(RcptOutcome.Answered.class);
    return (RcptOutcome.Answered) outcome;
  }

  static SessionFailure unanswered(RcptOutcome outcome) {
    assertThat(outcome).isInstanceOf(RcptOutcome.Unanswered.class);
    return ((RcptOutcome.Unanswered) outcome).failure();
  }

  static long count(List<String> commands, String prefix) {
    return commands.stream().filter(c -> c.toUpperCase().startsWith(prefix)).count();
  }

  // ---- tests ------------------------------------------------------------------------------------------------

  @Test
  void acceptedAndUnknownAnsweredInOneSession() throws Exception {
    start(SmtpSimulator.builder().host("127.0.0.2", HostBehaviour.withMailboxes("alice@example.com")));
    prober(settings());

    ProbeResult result = await(prober.probe(request(List.of(mx("mx1.example.com", "127.0.0.2")),
        List.of("alice@example.com", "bob@example.com"), null, 50)));

    RcptOutcome.Answered alice = answered(result.outcomes().get(0));
    assertThat(alice.reply().code()).isEqualTo(250);
    assertThat(alice.host()).isEqualTo(new HostContact("mx1.example.com", "127.0.0.2", false));
    RcptOutcome.Answered bob = answered(result.outcomes().get(1));
    assertThat(bob.reply().code()).isEqualTo(550);
    assertThat(bob.reply().enhanced()).isEqualTo("5.1.1");
    assertThat(bob.reply().text()).contains("User unknown in virtual mailbox table");
    assertThat(result.catchAllProbe()).isNull();
    assertThat(result.sessions()).isEqualTo(1);
    assertThat(sim.host("127.0.0.2").sessionsOpened()).isEqualTo(1);
    assertThat(sim.host("127.0.0.2").commands()).containsExactly(
        "EHLO probe.mailprobe.test",
        "MAIL FROM:<verify@mailprobe.test>",
        "RCPT TO:<alice@example.com>",
        "RCPT TO:<bob@example.com>",
        "QUIT");
    assertThat(prober.sessionsOpened()).isEqualTo(1);
  }

  @Test
  void manyRecipientsGoInBatchesWithRsetInOneSession() throws Exception {
    List<String> recipients =
        IntStream.range(0, 120).mapToObj(i -> "user" + i + "@example.com").toList();
    start(SmtpSimulator.builder().host("127.0.0.2",
        HostBehaviour.builder().mailboxes(recipients.toArray(String[]::new)).build()));
    prober(settings());

    ProbeResult result = await(prober.probe(request(List.of(mx("mx1.example.com", "127.0.0.2")),
        recipients, null, 50)));

    assertThat(result.outcomes()).hasSize(120).allSatisfy(o -> assertThat(answered(o).reply().code()).isEqualTo(250));
    assertThat(result.outcomes()).extracting(RcptOutcome::recipient).containsExactlyElementsOf(recipients);
    assertThat(result.sessions()).isEqualTo(1);
    List<String> commands = sim.host("127.0.0.2").commands();
    assertThat(count(commands, "RSET")).isEqualTo(2);
    assertThat(count(commands, "MAIL FROM")).isEqualTo(3);
    assertThat(count(commands, "RCPT TO")).isEqualTo(120);
    assertThat(sim.host("127.0.0.2").sessionsOpened()).isEqualTo(1);
  }

  @Test
  void catchAllProbeIsAskedAfterTheRealRecipients() throws Exception {
    start(SmtpSimulator.builder().host("127.0.0.2", HostBehaviour.builder().catchAll().build()));
    prober(settings());

    ProbeResult result = await(prober.probe(request(List.of(mx("mx1.example.com", "127.0.0.2")),
        List.of("alice@example.com", "bob@example.com"), "zq8x1k3v@example.com", 50)));

    assertThat(answered(result.catchAllProbe()).reply().code()).isEqualTo(250);
    assertThat(result.catchAllProbe().recipient()).isEqualTo("zq8x1k3v@example.com");
    List<String> rcpts = sim.host("127.0.0.2").commands().stream().filter(c -> c.startsWith("RCPT")).toList();
    assertThat(rcpts).containsExactly(
        "RCPT TO:<alice@example.com>", "RCPT TO:<bob@example.com>", "RCPT TO:<zq8x1k3v@example.com>");
  }

  /** A feed that hands out the given rounds one by one, then nothing; it counts how often it was asked. */
  static final class RoundsFeed implements RecipientFeed {
    final ArrayDeque<List<String>> rounds;
    int asked;

    RoundsFeed(List<List<String>> rounds) {
      this.rounds = new ArrayDeque<>(rounds);
    }

    @Override
    public CompletionStage<List<String>> more() {
      asked++;
      List<String> next = rounds.poll();
      // Completed on another thread, as the job's mailbox does.
      return CompletableFuture.supplyAsync(() -> next == null ? List.of() : next);
    }
  }

  @Test
  void fedRecipientsJoinTheOpenSessionBeforeTheCatchAllProbe() throws Exception {
    start(SmtpSimulator.builder().host("127.0.0.2",
        HostBehaviour.withMailboxes("alice@example.com", "carol@example.com")));
    prober(settings());
    RoundsFeed feed = new RoundsFeed(List.of(List.of("carol@example.com", "dave@example.com")));

    ProbeResult result = await(prober.probe(new ProbeRequest("example.com", List.of(mx("mx1.example.com", "127.0.0.2")),
        List.of("alice@example.com"), "zq8x1k3v@example.com", 50, feed)));

    assertThat(result.outcomes()).extracting(RcptOutcome::recipient)
        .containsExactly("alice@example.com", "carol@example.com", "dave@example.com");
    assertThat(result.outcomes()).extracting(o -> answered(o).reply().code()).containsExactly(250, 250, 550);
    assertThat(answered(result.catchAllProbe()).reply().code()).isEqualTo(550);
    assertThat(result.sessions()).isEqualTo(1);
    assertThat(feed.asked).as("asked until it had nothing more").isEqualTo(2);
    assertThat(sim.host("127.0.0.2").commands()).containsExactly(
        "EHLO probe.mailprobe.test",
        "MAIL FROM:<verify@mailprobe.test>",
        "RCPT TO:<alice@example.com>",
        "RCPT TO:<carol@example.com>",
        "RCPT TO:<dave@example.com>",
        "RCPT TO:<zq8x1k3v@example.com>",
        "QUIT");
  }

  @Test
  void fedRecipientsKeepTheTransactionLimitAndTheErrorLimit() throws Exception {
    List<String> fed = IntStream.range(0, 6).mapToObj(i -> "nobody" + i + "@example.com").toList();
    start(SmtpSimulator.builder().host("127.0.0.2", HostBehaviour.withMailboxes("alice@example.com")));
    prober(settings().maxRejectedRcptsPerSession(4));
    RoundsFeed feed = new RoundsFeed(List.of(fed.subList(0, 3), fed.subList(3, 6)));

    ProbeResult result = await(prober.probe(new ProbeRequest("example.com", List.of(mx("mx1.example.com", "127.0.0.2")),
        List.of("alice@example.com"), null, 2, feed)));

    assertThat(result.outcomes()).hasSize(7).allSatisfy(o -> assertThat(o).isInstanceOf(RcptOutcome.Answered.class));
    assertThat(result.sessions()).as("recycled after 4 rejections").isEqualTo(2);
    List<String> commands = sim.host("127.0.0.2").commands();
    assertThat(count(commands, "RCPT TO")).isEqualTo(7);
    assertThat(count(commands, "RSET")).as("2 recipients per transaction").isEqualTo(2);
  }

  @Test
  void aFedInternationalizedRecipientOpensATransactionWithSmtpUtf8() throws Exception {
    start(SmtpSimulator.builder().host("127.0.0.2",
        HostBehaviour.builder().offer("SMTPUTF8").mailboxes("alice@example.com", "jösé@example.com").build()));
    prober(settings());
    RoundsFeed feed = new RoundsFeed(List.of(List.of("jösé@example.com")));

    ProbeResult result = await(prober.probe(new ProbeRequest("example.com", List.of(mx("mx1.example.com", "127.0.0.2")),
        List.of("alice@example.com"), null, 50, feed)));

    assertThat(result.outcomes()).extracting(o -> answered(o).reply().code()).containsExactly(250, 250);
    assertThat(sim.host("127.0.0.2").commands()).containsSubsequence(
        "MAIL FROM:<verify@mailprobe.test>",
        "RCPT TO:<alice@example.com>",
        "RSET",
        "MAIL FROM:<verify@mailprobe.test> SMTPUTF8",
        "RCPT TO:<jösé@example.com>");
  }

  @Test
  void aServerThatClosesWhileTheFeedIsAskedIsReconnectedForTheFedRecipients() throws Exception {
    start(SmtpSimulator.builder().host("127.0.0.2", HostBehaviour.builder()
        .mailboxes("alice@example.com", "carol@example.com")
        .rule(CommandRule.when("RCPT", "alice@example\\.com").times(1).reply(250, "2.1.5 Ok").thenClose())
        .build()));
    prober(settings());
    RoundsFeed feed = new RoundsFeed(List.of(List.of("carol@example.com")));

    ProbeResult result = await(prober.probe(new ProbeRequest("example.com", List.of(mx("mx1.example.com", "127.0.0.2")),
        List.of("alice@example.com"), null, 50, feed)));

    assertThat(result.outcomes()).extracting(o -> answered(o).reply().code()).containsExactly(250, 250);
    assertThat(result.sessions()).as("the fed recipient is asked in a new session").isEqualTo(2);
  }

  @Test
  void aFailingOrUnsafeFeedEndsTheProbeNormally() throws Exception {
    start(SmtpSimulator.builder().host("127.0.0.2", HostBehaviour.withMailboxes("alice@example.com")));
    prober(settings());
    RecipientFeed unsafe = new RoundsFeed(List.of(List.of("evil@example.com>\r\nDATA")));
    RecipientFeed failing = () -> CompletableFuture.failedFuture(new IllegalStateException("operator closed"));

    ProbeResult withUnsafe = await(prober.probe(new ProbeRequest("example.com",
        List.of(mx("mx1.example.com", "127.0.0.2")), List.of("alice@example.com"), null, 50, unsafe)));
    ProbeResult withFailing = await(prober.probe(new ProbeRequest("example.com",
        List.of(mx("mx1.example.com", "127.0.0.2")), List.of("alice@example.com"), null, 50, failing)));

    assertThat(unanswered(withUnsafe.outcomes().get(1)).detail()).contains("refused before the wire");
    assertThat(withFailing.outcomes()).singleElement()
        .satisfies(o -> assertThat(answered(o).reply().code()).isEqualTo(250));
    assertThat(sim.host("127.0.0.2").commands()).noneMatch(c -> c.contains("evil"));
  }

  @Test
  void fallsBackToTheNextExchangerWhenTheFirstRefusesConnections() throws Exception {
    start(SmtpSimulator.builder()
        .host("127.0.0.2", HostBehaviour.builder().refuseConnections().build())
        .host("127.0.0.3", HostBehaviour.withMailboxes("alice@example.com")));
    prober(settings());

    ProbeResult result = await(prober.probe(request(
        List.of(mx("mx1.example.com", "127.0.0.2"), mx("mx2.example.com", "127.0.0.3")),
        List.of("alice@example.com"), null, 50)));

    RcptOutcome.Answered alice = answered(result.outcomes().get(0));
    assertThat(alice.reply().code()).isEqualTo(250);
    assertThat(alice.host()).isEqualTo(new HostContact("mx2.example.com", "127.0.0.3", false));
    assertThat(result.sessions()).isEqualTo(1);
  }

  @Test
  void fallsBackToTheNextExchangerWhenTheFirstRefusesAtTheBanner() throws Exception {
    start(SmtpSimulator.builder()
        .host("127.0.0.2", HostBehaviour.builder().banner(554, "5.7.1 mx1 no SMTP service here").build())
        .host("127.0.0.3", HostBehaviour.withMailboxes("alice@example.com")));
    prober(settings());

    ProbeResult result = await(prober.probe(request(
        List.of(mx("mx1.example.com", "127.0.0.2"), mx("mx2.example.com", "127.0.0.3")),
        List.of("alice@example.com"), null, 50)));

    assertThat(answered(result.outcomes().get(0)).host().mx()).isEqualTo("mx2.example.com");
    assertThat(sim.host("127.0.0.2").sessionsOpened()).isEqualTo(1);
    assertThat(sim.host("127.0.0.2").commands()).doesNotContain("MAIL FROM:<verify@mailprobe.test>");
    assertThat(sim.host("127.0.0.3").sessionsOpened()).isEqualTo(1);
  }

  @Test
  void everyExchangerRefusingLeavesRecipientsUnansweredWithTheLastCause() throws Exception {
    start(SmtpSimulator.builder()
        .host("127.0.0.2", HostBehaviour.builder().refuseConnections().build())
        .host("127.0.0.3", HostBehaviour.builder().banner(554, "5.7.1 go away").build()));
    prober(settings());

    ProbeResult result = await(prober.probe(request(
        List.of(mx("mx1.example.com", "127.0.0.2"), mx("mx2.example.com", "127.0.0.3")),
        List.of("alice@example.com"), "probe123@example.com", 50)));

    SessionFailure failure = unanswered(result.outcomes().get(0));
    assertThat(failure.kind()).isEqualTo(SessionFailure.Kind.REJECTED);
    assertThat(failure.phase()).isEqualTo(SmtpPhase.BANNER);
    assertThat(failure.lastReply().code()).isEqualTo(554);
    assertThat(failure.host().mx()).isEqualTo("mx2.example.com");
    assertThat(unanswered(result.catchAllProbe()).kind()).isEqualTo(SessionFailure.Kind.REJECTED);
  }

  @Test
  void connectionRefusedEverywhereIsReportedAsSuch() throws Exception {
    start(SmtpSimulator.builder().host("127.0.0.2", HostBehaviour.builder().refuseConnections().build()));
    prober(settings());

    ProbeResult result = await(prober.probe(request(List.of(mx("mx1.example.com", "127.0.0.2")),
        List.of("alice@example.com"), null, 50)));

    assertThat(unanswered(result.outcomes().get(0)).kind()).isEqualTo(SessionFailure.Kind.CONNECTION_REFUSED);
    assertThat(result.sessions()).isZero();
  }

  @Test
  void tarpitWithoutBannerEndsWithinTheBannerTimeoutThenTriesTheNextHost() throws Exception {
    start(SmtpSimulator.builder()
        .host("127.0.0.2", HostBehaviour.builder().tarpit().build())
        .host("127.0.0.3", HostBehaviour.withMailboxes("alice@example.com")));
    prober(settings().bannerTimeout(Duration.ofMillis(300)));

    long t0 = System.nanoTime();
    ProbeResult onlyTarpit = await(prober.probe(request(List.of(mx("mx1.example.com", "127.0.0.2")),
        List.of("alice@example.com"), null, 50)));
    long elapsedMs = (System.nanoTime() - t0) / 1_000_000;

    SessionFailure failure = unanswered(onlyTarpit.outcomes().get(0));
    assertThat(failure.kind()).isEqualTo(SessionFailure.Kind.TIMEOUT);
    assertThat(failure.phase()).isEqualTo(SmtpPhase.BANNER);
    assertThat(elapsedMs).isBetween(250L, 1500L);

    ProbeResult withFallback = await(prober.probe(request(
        List.of(mx("mx1.example.com", "127.0.0.2"), mx("mx2.example.com", "127.0.0.3")),
        List.of("alice@example.com"), null, 50)));
    assertThat(answered(withFallback.outcomes().get(0)).host().ip()).isEqualTo("127.0.0.3");
  }

  @Test
  void fallsBackToHeloWhenEhloIsRefused() throws Exception {
    start(SmtpSimulator.builder().host("127.0.0.2", HostBehaviour.builder().mailboxes("alice@example.com")
        .rule(CommandRule.when("EHLO").reply(502, "5.5.2 Error: command not recognized")).build()));
    prober(settings());

    ProbeResult result = await(prober.probe(request(List.of(mx("mx1.example.com", "127.0.0.2")),
        List.of("alice@example.com"), null, 50)));

    assertThat(answered(result.outcomes().get(0)).reply().code()).isEqualTo(250);
    assertThat(sim.host("127.0.0.2").commands()).startsWith(
        "EHLO probe.mailprobe.test", "HELO probe.mailprobe.test", "MAIL FROM:<verify@mailprobe.test>");
  }

  @Test
  void startTlsWhenOfferedAndRecordsTls() throws Exception {
    start(SmtpSimulator.builder().host("127.0.0.2",
        HostBehaviour.builder().offer("STARTTLS").mailboxes("alice@example.com").build()));
    prober(settings());

    ProbeResult result = await(prober.probe(request(List.of(mx("mx1.example.com", "127.0.0.2")),
        List.of("alice@example.com"), null, 50)));

    RcptOutcome.Answered alice = answered(result.outcomes().get(0));
    assertThat(alice.reply().code()).isEqualTo(250);
    assertThat(alice.host().tls()).isTrue();
    assertThat(sim.host("127.0.0.2").commands()).startsWith(
        "EHLO probe.mailprobe.test", "STARTTLS", "EHLO probe.mailprobe.test", "MAIL FROM:<verify@mailprobe.test>");
  }

  @Test
  void failedTlsHandshakeFallsBackToPlainTextOnTheSameAddress() throws Exception {
    start(SmtpSimulator.builder().host("127.0.0.2", HostBehaviour.builder().offer("STARTTLS")
        .mailboxes("alice@example.com")
        .rule(CommandRule.when("STARTTLS").reply(220, "2.0.0 Ready to start TLS").thenClose())
        .build()));
    prober(settings());

    ProbeResult result = await(prober.probe(request(List.of(mx("mx1.example.com", "127.0.0.2")),
        List.of("alice@example.com"), null, 50)));

    RcptOutcome.Answered alice = answered(result.outcomes().get(0));
    assertThat(alice.reply().code()).isEqualTo(250);
    assertThat(alice.host().tls()).isFalse();
    assertThat(result.sessions()).isEqualTo(2);
    List<List<String>> transcripts = sim.host("127.0.0.2").transcripts();
    assertThat(transcripts.get(0)).containsExactly("EHLO probe.mailprobe.test", "STARTTLS");
    assertThat(transcripts.get(1)).doesNotContain("STARTTLS").contains("RCPT TO:<alice@example.com>");
  }

  @Test
  void tlsRequiredIsMetByStartTlsOrReportedWhenTlsIsDisabled() throws Exception {
    start(SmtpSimulator.builder().host("127.0.0.2",
        HostBehaviour.builder().tlsRequired().mailboxes("alice@example.com").build()));
    List<MxHost> mx = List.of(mx("mx1.example.com", "127.0.0.2"));

    try (SmtpProber plain = new SmtpProber(settings().startTls(SmtpClientSettings.StartTls.DISABLED).build())) {
      ProbeResult refused = await(plain.probe(request(mx, List.of("alice@example.com"), null, 50)));
      SessionFailure failure = unanswered(refused.outcomes().get(0));
      assertThat(failure.kind()).isEqualTo(SessionFailure.Kind.TLS_REQUIRED);
      assertThat(failure.lastReply().code()).isEqualTo(530);
      assertThat(failure.lastReply().enhanced()).isEqualTo("5.7.0");
    }

    prober(settings());
    ProbeResult ok = await(prober.probe(request(mx, List.of("alice@example.com"), null, 50)));
    assertThat(answered(ok.outcomes().get(0)).host().tls()).isTrue();
  }

  @Test
  void tooManyRecipientsAsksTheRestInANewTransaction() throws Exception {
    List<String> recipients = IntStream.range(0, 7).mapToObj(i -> "u" + i + "@example.com").toList();
    start(SmtpSimulator.builder().host("127.0.0.2",
        HostBehaviour.builder().catchAll().maxRecipientsPerMessage(3).build()));
    prober(settings());

    ProbeResult result = await(prober.probe(request(List.of(mx("mx1.example.com", "127.0.0.2")),
        recipients, null, 50)));

    assertThat(result.outcomes()).allSatisfy(o -> assertThat(answered(o).reply().code()).isEqualTo(250));
    assertThat(result.sessions()).isEqualTo(1);
    List<String> commands = sim.host("127.0.0.2").commands();
    assertThat(count(commands, "MAIL FROM")).isEqualTo(3);
    assertThat(count(commands, "RSET")).isEqualTo(2);
    // each 452 recipient was asked again: 7 answers + 2 refused asks
    assertThat(count(commands, "RCPT TO")).isEqualTo(9);
  }

  @Test
  void reconnectsAfter421MidSessionAndContinues() throws Exception {
    start(SmtpSimulator.builder().host("127.0.0.2", HostBehaviour.builder()
        .mailboxes("alice@example.com", "carol@example.com", "dave@example.com")
        .rule(CommandRule.when("RCPT", "carol@").reply(421, "4.4.2 mx1 Error: timeout exceeded").thenClose()
            .times(1))
        .build()));
    prober(settings());

    ProbeResult result = await(prober.probe(request(List.of(mx("mx1.example.com", "127.0.0.2")),
        List.of("alice@example.com", "bob@example.com", "carol@example.com", "dave@example.com"), null, 50)));

    assertThat(result.outcomes()).extracting(o -> answered(o).reply().code()).containsExactly(250, 550, 250, 250);
    assertThat(result.sessions()).isEqualTo(2);
    List<List<String>> transcripts = sim.host("127.0.0.2").transcripts();
    assertThat(transcripts).hasSize(2);
    assertThat(transcripts.get(1)).contains("RCPT TO:<carol@example.com>", "RCPT TO:<dave@example.com>")
        .doesNotContain("RCPT TO:<alice@example.com>");
  }

  @Test
  void closedConnectionsBeyondTheReconnectBudgetEndAsUnanswered() throws Exception {
    start(SmtpSimulator.builder().host("127.0.0.2", HostBehaviour.builder()
        .mailboxes("alice@example.com")
        .rule(CommandRule.when("RCPT", "bob@").thenClose())
        .build()));
    prober(settings().maxReconnects(2));

    ProbeResult result = await(prober.probe(request(List.of(mx("mx1.example.com", "127.0.0.2")),
        List.of("alice@example.com", "bob@example.com"), null, 50)));

    assertThat(answered(result.outcomes().get(0)).reply().code()).isEqualTo(250);
    SessionFailure bob = unanswered(result.outcomes().get(1));
    assertThat(bob.kind()).isEqualTo(SessionFailure.Kind.CONNECTION_CLOSED);
    assertThat(bob.detail()).contains("gave up after 2 reconnects");
    assertThat(result.sessions()).isEqualTo(3);
  }

  @Test
  void recyclesTheSessionBeforeTheServerErrorLimit() throws Exception {
    List<String> unknown = IntStream.range(0, 30).mapToObj(i -> "nobody" + i + "@example.com").toList();
    start(SmtpSimulator.builder().host("127.0.0.2", HostBehaviour.builder().errorLimit(10).build()));
    prober(settings().maxRejectedRcptsPerSession(8));

    ProbeResult result = await(prober.probe(request(List.of(mx("mx1.example.com", "127.0.0.2")),
        unknown, null, 50)));

    assertThat(result.outcomes()).allSatisfy(o -> assertThat(answered(o).reply().code()).isEqualTo(550));
    HostRecord host = sim.host("127.0.0.2");
    assertThat(host.errorLimitHits()).isZero();
    assertThat(host.sessionsOpened()).isEqualTo(4);
    assertThat(result.sessions()).isEqualTo(4);
    assertThat(host.transcripts()).allSatisfy(t -> assertThat(count(t, "RCPT")).isLessThanOrEqualTo(8));
  }

  @Test
  void aServerErrorLimitIsASessionLevelReplyAndTheRestIsAskedAfterReconnecting() throws Exception {
    List<String> unknown = IntStream.range(0, 12).mapToObj(i -> "nobody" + i + "@example.com").toList();
    start(SmtpSimulator.builder().host("127.0.0.2", HostBehaviour.builder().errorLimit(5).build()));
    // No recycling before the limit: the server's 421 "too many errors" must be survived by reconnecting.
    prober(settings().maxRejectedRcptsPerSession(100).maxReconnects(5));

    ProbeResult result = await(prober.probe(request(List.of(mx("mx1.example.com", "127.0.0.2")),
        unknown, null, 50)));

    assertThat(result.outcomes()).allSatisfy(o -> assertThat(answered(o).reply().code()).isEqualTo(550));
    assertThat(sim.host("127.0.0.2").errorLimitHits()).isEqualTo(2);
    assertThat(result.sessions()).isEqualTo(3);
  }

  @Test
  void sessionsBeyondTheServerConcurrencyCapAreRefusedAndCounted() throws Exception {
    start(SmtpSimulator.builder().host("127.0.0.2", HostBehaviour.builder().catchAll()
        .maxConcurrentSessions(1).replyLatency(Duration.ofMillis(100)).build()));
    prober(settings());

    var first = prober.probe(request(List.of(mx("mx1.example.com", "127.0.0.2")),
        List.of("alice@example.com"), null, 50)).toCompletableFuture();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (sim.host("127.0.0.2").activeSessions() < 1 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    var second = prober.probe(request(List.of(mx("mx1.example.com", "127.0.0.2")),
        List.of("bob@example.com"), null, 50)).toCompletableFuture();

    assertThat(answered(await(first).outcomes().get(0)).reply().code()).isEqualTo(250);
    SessionFailure refused = unanswered(await(second).outcomes().get(0));
    assertThat(refused.kind()).isEqualTo(SessionFailure.Kind.REJECTED);
    assertThat(refused.phase()).isEqualTo(SmtpPhase.BANNER);
    assertThat(refused.lastReply().code()).isEqualTo(421);
    assertThat(sim.host("127.0.0.2").refusedOverCap()).isEqualTo(1);
    assertThat(sim.host("127.0.0.2").maxConcurrentSessions()).isEqualTo(2);
  }

  @Test
  void garbageIsAProtocolError() throws Exception {
    start(SmtpSimulator.builder()
        .host("127.0.0.2", HostBehaviour.builder().garbageBanner().build())
        .host("127.0.0.3", HostBehaviour.builder().catchAll()
            .rule(CommandRule.when("RCPT", "bob@").garbage()).build()));
    prober(settings());

    ProbeResult atBanner = await(prober.probe(request(List.of(mx("mx1.example.com", "127.0.0.2")),
        List.of("alice@example.com"), null, 50)));
    SessionFailure failure = unanswered(atBanner.outcomes().get(0));
    assertThat(failure.kind()).isEqualTo(SessionFailure.Kind.PROTOCOL_ERROR);
    assertThat(failure.phase()).isEqualTo(SmtpPhase.BANNER);

    ProbeResult atRcpt = await(prober.probe(request(List.of(mx("mx2.example.com", "127.0.0.3")),
        List.of("alice@example.com", "bob@example.com", "carol@example.com"), null, 50)));
    assertThat(answered(atRcpt.outcomes().get(0)).reply().code()).isEqualTo(250);
    assertThat(unanswered(atRcpt.outcomes().get(1)).kind()).isEqualTo(SessionFailure.Kind.PROTOCOL_ERROR);
    assertThat(unanswered(atRcpt.outcomes().get(2)).phase()).isEqualTo(SmtpPhase.RCPT_TO);
  }

  @Test
  void oversizedRepliesAreAProtocolError() throws Exception {
    String[] lines = IntStream.range(0, 50).mapToObj(i -> "line " + i).toArray(String[]::new);
    start(SmtpSimulator.builder().host("127.0.0.2", HostBehaviour.builder()
        .rule(CommandRule.when("EHLO").reply(250, lines)).build()));
    prober(settings().maxReplyLines(20));

    ProbeResult result = await(prober.probe(request(List.of(mx("mx1.example.com", "127.0.0.2")),
        List.of("alice@example.com"), null, 50)));

    SessionFailure failure = unanswered(result.outcomes().get(0));
    assertThat(failure.kind()).isEqualTo(SessionFailure.Kind.PROTOCOL_ERROR);
    assertThat(failure.detail()).contains("more than 20 lines");
  }

  @Test
  void rejectedSenderRejectsEveryRecipient() throws Exception {
    start(SmtpSimulator.builder().host("127.0.0.2", HostBehaviour.builder().catchAll()
        .rule(CommandRule.when("MAIL").reply(550, "5.7.1 <verify@mailprobe.test>: Sender address rejected: blocked"))
        .build()));
    prober(settings());

    ProbeResult result = await(prober.probe(request(List.of(mx("mx1.example.com", "127.0.0.2")),
        List.of("alice@example.com", "bob@example.com"), "probe9@example.com", 50)));

    for (RcptOutcome o : List.of(result.outcomes().get(0), result.outcomes().get(1), result.catchAllProbe())) {
      SessionFailure f = unanswered(o);
      assertThat(f.kind()).isEqualTo(SessionFailure.Kind.REJECTED);
      assertThat(f.phase()).isEqualTo(SmtpPhase.MAIL_FROM);
      assertThat(f.lastReply().code()).isEqualTo(550);
      assertThat(f.lastReply().enhanced()).isEqualTo("5.7.1");
    }
    assertThat(count(sim.host("127.0.0.2").commands(), "RCPT")).isZero();
  }

  @Test
  void internationalizedLocalPartUsesSmtpUtf8OnlyWhenOffered() throws Exception {
    start(SmtpSimulator.builder()
        .host("127.0.0.2", HostBehaviour.builder().offer("SMTPUTF8").mailboxes("jösé@example.com").build())
        .host("127.0.0.3", HostBehaviour.builder().catchAll().build()));
    prober(settings());

    ProbeResult utf8 = await(prober.probe(request(List.of(mx("mx1.example.com", "127.0.0.2")),
        List.of("jösé@example.com"), null, 50)));
    assertThat(answered(utf8.outcomes().get(0)).reply().code()).isEqualTo(250);
    assertThat(sim.host("127.0.0.2").commands())
        .contains("MAIL FROM:<verify@mailprobe.test> SMTPUTF8", "RCPT TO:<jösé@example.com>");

    ProbeResult noUtf8 = await(prober.probe(request(List.of(mx("mx2.example.com", "127.0.0.3")),
        List.of("jösé@example.com", "jose@example.com"), null, 50)));
    SessionFailure failure = unanswered(noUtf8.outcomes().get(0));
    assertThat(failure.detail()).contains("SMTPUTF8");
    assertThat(answered(noUtf8.outcomes().get(1)).reply().code()).isEqualTo(250);
    assertThat(sim.host("127.0.0.3").commands()).noneMatch(c -> c.contains("jösé"));
  }

  @Test
  void hostGateHoldsOneSessionPerHostAcrossParallelProbes() throws Exception {
    start(SmtpSimulator.builder().host("127.0.0.2", HostBehaviour.builder().catchAll()
        .replyLatency(Duration.ofMillis(20)).build()));
    OnePerHostGate gate = new OnePerHostGate();
    prober(settings().hostGate(gate));

    List<CompletableFuture<ProbeResult>> running = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      running.add(prober.probe(request(List.of(mx("mx1.example.com", "127.0.0.2")),
          List.of("a" + i + "@example.com", "b" + i + "@example.com"), null, 50)).toCompletableFuture());
    }
    for (CompletableFuture<ProbeResult> r : running) {
      assertThat(await(r).outcomes()).allSatisfy(o -> assertThat(answered(o).reply().code()).isEqualTo(250));
    }

    assertThat(sim.host("127.0.0.2").sessionsOpened()).isEqualTo(5);
    assertThat(sim.host("127.0.0.2").maxConcurrentSessions()).isEqualTo(1);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    while (gate.released.get() < 5 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(gate.acquired.get()).isEqualTo(5);
    assertThat(gate.released.get()).isEqualTo(5);
    assertThat(gate.doubleReleases.get()).isZero();
    assertThat(prober.sessionsInFlight()).isZero();
  }

  @Test
  void aPermitReturnsOnlyOnceTheServerHasClosedTheSession() throws Exception {
    // At zero reply latency a permit returned when we close our end lets the next session in before the server has
    // seen the first one go: the simulator then counts two at once (and refuses the second with 421 when capped).
    // The server's accepting and its sessions on different threads, as in any real server.
    start(SmtpSimulator.builder().threads(4).host("127.0.0.2", HostBehaviour.builder().catchAll().build()));
    OnePerHostGate gate = new OnePerHostGate();
    prober(settings().hostGate(gate));

    List<CompletableFuture<ProbeResult>> running = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      running.add(prober.probe(request(List.of(mx("mx1.example.com", "127.0.0.2")),
          List.of("a" + i + "@example.com"), null, 50)).toCompletableFuture());
    }
    for (CompletableFuture<ProbeResult> r : running) {
      assertThat(await(r).outcomes()).allSatisfy(o -> assertThat(answered(o).reply().code()).isEqualTo(250));
    }

    assertThat(sim.host("127.0.0.2").sessionsOpened()).isEqualTo(200);
    assertThat(sim.host("127.0.0.2").maxConcurrentSessions()).isEqualTo(1);
    assertThat(count(sim.host("127.0.0.2").commands(), "QUIT")).isEqualTo(200);
  }

  @Test
  void aServerThatKeepsTheConnectionAfterQuitIsClosedAfterTheGrace() throws Exception {
    start(SmtpSimulator.builder().host("127.0.0.2", HostBehaviour.builder().catchAll()
        .rule(CommandRule.when("QUIT").reply(221, "2.0.0 Bye, but I stay")).build()));
    OnePerHostGate gate = new OnePerHostGate();
    prober(settings().hostGate(gate));

    long started = System.nanoTime();
    ProbeResult result = await(prober.probe(request(List.of(mx("mx1.example.com", "127.0.0.2")),
        List.of("a@example.com"), null, 50)));
    assertThat(answered(result.outcomes().get(0)).reply().code()).isEqualTo(250);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(ProbeSession.QUIT_GRACE);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
    while (gate.released.get() < 1 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(gate.released.get()).isEqualTo(1);
    assertThat(sim.host("127.0.0.2").activeSessions()).isZero();
  }

  @Test
  void probesThroughASocks5Proxy() throws Exception {
    start(SmtpSimulator.builder().host("127.0.0.2",
        HostBehaviour.builder().offer("STARTTLS").mailboxes("alice@example.com").build()));
    try (LoopbackSocks5Proxy proxy = new LoopbackSocks5Proxy()) {
      prober(settings().socksProxy(proxy.address()));

      ProbeResult result = await(prober.probe(request(List.of(mx("mx1.example.com", "127.0.0.2")),
          List.of("alice@example.com", "bob@example.com"), null, 50)));

      RcptOutcome.Answered alice = answered(result.outcomes().get(0));
      assertThat(alice.reply().code()).isEqualTo(250);
      assertThat(alice.host()).isEqualTo(new HostContact("mx1.example.com", "127.0.0.2", true));
      assertThat(answered(result.outcomes().get(1)).reply().code()).isEqualTo(550);
      assertThat(proxy.destinations()).containsExactly("127.0.0.2:" + sim.port());
    }
  }

  @Test
  void aDeadProxyIsReportedAsAProxyFailure() throws Exception {
    start(SmtpSimulator.builder().host("127.0.0.2", HostBehaviour.withMailboxes("alice@example.com")));
    java.net.InetSocketAddress dead;
    try (LoopbackSocks5Proxy proxy = new LoopbackSocks5Proxy()) {
      dead = proxy.address();
    }
    prober(settings().socksProxy(dead));

    ProbeResult result = await(prober.probe(request(List.of(mx("mx1.example.com", "127.0.0.2")),
        List.of("alice@example.com"), null, 50)));

    assertThat(unanswered(result.outcomes().get(0)).kind()).isEqualTo(SessionFailure.Kind.PROXY_FAILED);
    assertThat(sim.host("127.0.0.2").sessionsOpened()).isZero();
  }

  @Test
  void manyConcurrentProbesAllCompleteNormally() throws Exception {
    start(SmtpSimulator.builder()
        .host("127.0.0.2", HostBehaviour.withMailboxes("alice@example.com"))
        .host("127.0.0.3", HostBehaviour.builder().tarpit().build()));
    prober(settings().bannerTimeout(Duration.ofMillis(300)));

    List<CompletableFuture<ProbeResult>> running = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String ip = i % 2 == 0 ? "127.0.0.2" : "127.0.0.3";
      running.add(prober.probe(request(List.of(mx("mx.example.com", ip)),
          List.of("alice@example.com", "x" + i + "@example.com"), null, 50)).toCompletableFuture());
    }
    CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
    assertThat(running).allSatisfy(f -> assertThat(f).isCompletedWithValueMatching(r -> r.outcomes().size() == 2));
    assertThat(Arrays.asList(running.get(0).get().outcomes().get(0), running.get(1).get().outcomes().get(0)))
        .satisfiesExactly(
            a -> assertThat(answered(a).reply().code()).isEqualTo(250),
            t -> assertThat(unanswered(t).kind()).isEqualTo(SessionFailure.Kind.TIMEOUT));
  }
}
