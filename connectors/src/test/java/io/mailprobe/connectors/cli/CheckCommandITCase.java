package io.mailprobe.connectors.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailprobe.connectors.json.VerdictJson;
import io.mailprobe.pipeline.verdict.Verdict;
import io.mailprobe.testkit.DemoWorld;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code scripts/check}'s engine end to end against the loopback DNS server and SMTP simulators of
 * {@link DemoWorld}: every classification row and DNS case, sessions shared per domain, retries, hostile hosts.
 */
class CheckCommandITCase {

  private DemoWorld world;

  @BeforeEach
  void startWorld() {
    world = DemoWorld.start();
  }

  @AfterEach
  void stopWorld() {
    assertThat(world.anyDataReceived()).as("no session ever sent DATA").isFalse();
    world.close();
  }

  @Test
  void everyAddressOfTheWorldGetsTheVerdictTheRulesCallFor() {
    Map<String, DemoWorld.Expected> expected = DemoWorld.expectations();
    Run run = check(List.of(), new ArrayList<>(expected.keySet()));

    assertThat(run.exit).isZero();
    assertThat(run.verdicts).hasSize(expected.size());
    int i = 0;
    for (Map.Entry<String, DemoWorld.Expected> e : expected.entrySet()) {
      Verdict v = run.verdicts.get(i++);
      assertThat(v.email()).as("verdicts come in input order and echo the input").isEqualTo(e.getKey());
      assertThat(v.status().wireName() + "/" + v.reason().wireName())
          .as("verdict of %s (%s)", e.getKey(), v)
          .isEqualTo(e.getValue().status() + "/" + e.getValue().reason());
      assertThat(flagsOf(v)).as("flags of %s", e.getKey()).containsExactlyInAnyOrderElementsOf(e.getValue().flags());
    }
  }

  @Test
  void answersCarryTheServersOwnWords() {
    Run run = check(List.of(), List.of("Nobody@ACME.test", "alice@gmial.com", "alice@backup.test"));
    Verdict nobody = run.verdicts.get(0);
    assertThat(nobody.address()).isEqualTo("Nobody@acme.test");
    assertThat(nobody.smtp().mx()).isEqualTo("mx.acme.test");
    assertThat(nobody.smtp().ip()).isEqualTo("127.0.0.2");
    assertThat(nobody.smtp().code()).isEqualTo(550);
    assertThat(nobody.smtp().enhanced()).isEqualTo("5.1.1");
    assertThat(nobody.smtp().message()).contains("User unknown");
    assertThat(run.verdicts.get(1).suggestion()).isEqualTo("gmail.com");
    // The preferred MX refuses connections; the backup answers.
    assertThat(run.verdicts.get(2).smtp().mx()).isEqualTo("mx2.backup.test");
    assertThat(world.host("127.0.0.4").sessionsOpened()).isZero();
  }

  @Test
  void addressesOfOneDomainShareOneSessionAndTheCatchAllProbeComesLast() {
    List<String> addresses = new ArrayList<>();
    for (int i = 0; i < DemoWorld.ACME_USERS; i++) {
      addresses.add(String.format("user%03d@acme.test", i));
    }
    addresses.add("nobody@acme.test");
    Run run = check(List.of("--recipients-per-session", "50"), addresses);

    assertThat(run.verdicts).hasSize(DemoWorld.ACME_USERS + 1);
    assertThat(run.verdicts.subList(0, DemoWorld.ACME_USERS))
        .allSatisfy(v -> assertThat(v.reason().wireName()).isEqualTo("accepted"));
    assertThat(run.verdicts.get(DemoWorld.ACME_USERS).reason().wireName()).isEqualTo("mailbox_not_found");

    assertThat(world.host("127.0.0.2").sessionsOpened()).isEqualTo(1);
    List<String> commands = world.host("127.0.0.2").transcripts().get(0);
    List<String> rcpts = commands.stream().filter(c -> c.startsWith("RCPT")).toList();
    assertThat(rcpts).hasSize(DemoWorld.ACME_USERS + 2); // every address, then the probe
    assertThat(rcpts.get(rcpts.size() - 1)).doesNotContain("user").doesNotContain("nobody");
    assertThat(commands.stream().filter(c -> c.equals("RSET"))).hasSizeGreaterThanOrEqualTo(2);
    assertThat(commands).doesNotContain("DATA");
  }

  @Test
  void catchAllIsDetectedByAProbeAfterTheRealRecipients() {
    Run run = check(List.of(), List.of("anyone@catchall.test", "someone.else@catchall.test"));
    assertThat(run.verdicts).allSatisfy(v -> {
      assertThat(v.reason().wireName()).isEqualTo("catch_all");
      assertThat(v.flags().catchAll()).isTrue();
    });
    List<String> rcpts =
        world.host("127.0.0.3").transcripts().get(0).stream().filter(c -> c.startsWith("RCPT")).toList();
    assertThat(rcpts).hasSize(3);
    assertThat(rcpts.get(0)).contains("anyone@catchall.test");
    assertThat(rcpts.get(1)).contains("someone.else@catchall.test");
    assertThat(rcpts.get(2)).doesNotContain("anyone").doesNotContain("someone");
  }

  @Test
  void greylistedAddressIsDeliverableAfterARetry() {
    Run run = check(List.of("--greylist-retries", "1", "--greylist-backoff", "1s"), List.of("alice@grey.test"));
    Verdict v = run.verdicts.get(0);
    assertThat(v.status().wireName()).isEqualTo("deliverable");
    assertThat(v.flags().greylisted()).isTrue();
    assertThat(v.attempts()).isEqualTo(2);
    assertThat(world.host("127.0.0.9").sessionsOpened()).isEqualTo(2);
  }

  @Test
  void aTarpitCostsNoMoreThanTheBannerTimeout() {
    long started = System.nanoTime();
    Run run = check(List.of(), List.of("alice@tarpit.test"));
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(run.verdicts.get(0).reason().wireName()).isEqualTo("timeout");
    assertThat(run.verdicts.get(0).detail()).contains("BANNER");
    assertThat(took).isLessThan(DemoWorld.BANNER_TIMEOUT.plusSeconds(3));
  }

  @Test
  void tlsIsUsedWhenOfferedAndItsAbsenceIsReportedWhenTheServerDemandsIt() {
    Verdict withTls = check(List.of(), List.of("alice@tls.test")).verdicts.get(0);
    assertThat(withTls.status().wireName()).isEqualTo("deliverable");
    assertThat(withTls.smtp().tls()).isTrue();

    Verdict withoutTls = check(List.of("--starttls", "disabled"), List.of("alice@tls.test")).verdicts.get(0);
    assertThat(withoutTls.status().wireName() + "/" + withoutTls.reason().wireName()).isEqualTo("unknown/tls_required");
  }

  @Test
  void injectedCommandsNeverReachTheWire() {
    List<String> hostile = List.of(
        "alice@acme.test\r\nDATA",
        "alice@acme.test>\r\nRCPT TO:<bob@acme.test",
        "alice@acme.test\u0000",
        "alice\nQUIT@acme.test",
        "alice@acme.test");
    Run run = check(List.of(), hostile);

    assertThat(run.verdicts.subList(0, 4))
        .allSatisfy(v -> assertThat(v.reason().wireName()).isEqualTo("invalid_syntax"));
    assertThat(run.verdicts.get(4).reason().wireName()).isEqualTo("accepted");
    List<String> commands = world.host("127.0.0.2").commands();
    assertThat(commands).noneMatch(c -> c.equals("DATA") || c.contains("bob@") || c.contains("\u0000"));
    assertThat(commands.stream().filter(c -> c.startsWith("RCPT"))).hasSize(2); // alice, then the probe
  }

  @Test
  void tableForPeople() {
    Run run = check(List.of("--table"), List.of("alice@acme.test", "nobody@acme.test"));
    assertThat(run.stdout.lines().toList())
        .hasSize(3)
        .satisfies(lines -> {
          assertThat(lines.get(0)).startsWith("EMAIL").contains("STATUS", "REASON");
          assertThat(lines.get(1)).startsWith("alice@acme.test").contains("deliverable", "accepted");
          assertThat(lines.get(2)).contains("undeliverable", "mailbox_not_found", "550 5.1.1");
        });
  }

  @Test
  void addressesFromStandardInputSkippingBlankLines() {
    Run run = run(List.of(), "alice@acme.test\n\n  \nnobody@acme.test\n");
    assertThat(run.exit).isZero();
    assertThat(run.verdicts).extracting(Verdict::email).containsExactly("alice@acme.test", "nobody@acme.test");
  }

  @Test
  void badUsageGetsAClearMessageAndANonZeroExit() {
    Run unknown = run(List.of("--smpt-port", "25", "a@acme.test"), "");
    assertThat(unknown.exit).isEqualTo(2);
    assertThat(unknown.stderr).contains("unknown option --smpt-port");

    Run badPort = run(List.of("--smtp-port", "port", "a@acme.test"), "");
    assertThat(badPort.exit).isEqualTo(2);
    assertThat(badPort.stderr).contains("--smtp-port port: not a whole number");

    Run nothing = run(List.of(), "");
    assertThat(nothing.exit).isEqualTo(2);
    assertThat(nothing.stderr).contains("no addresses given");

    Run help = run(List.of("--help"), "");
    assertThat(help.exit).isZero();
    assertThat(help.stdout).contains("--smtp-port", "--greylist-backoff", "--table");
  }

  private Run check(List<String> options, List<String> addresses) {
    List<String> args = new ArrayList<>(world.arguments());
    args.addAll(options);
    args.addAll(addresses);
    Run run = run(args, "");
    assertThat(run.exit).as("exit code; stderr: %s", run.stderr).isZero();
    return run;
  }

  private static Run run(List<String> args, String stdin) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        CheckCommand.run(
            args,
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static List<String> flagsOf(Verdict v) {
    List<String> on = new ArrayList<>();
    if (v.flags().role()) on.add("role");
    if (v.flags().disposable()) on.add("disposable");
    if (v.flags().freeProvider()) on.add("free_provider");
    if (v.flags().catchAll()) on.add("catch_all");
    if (v.flags().greylisted()) on.add("greylisted");
    if (v.flags().full()) on.add("full");
    if (v.flags().disabled()) on.add("disabled");
    return on;
  }

  /** One run of the checker: exit code, output, and the verdicts parsed from JSON lines. */
  private static final class Run {
    final int exit;
    final String stdout;
    final String stderr;
    final List<Verdict> verdicts = new ArrayList<>();

    Run(int exit, String stdout, String stderr) {
      this.exit = exit;
      this.stdout = stdout;
      this.stderr = stderr;
      if (stdout.startsWith("{")) {
        stdout.lines().forEach(l -> verdicts.add(VerdictJson.read(l.getBytes(StandardCharsets.UTF_8)).verdict()));
      }
    }
  }
}
