package io.mailprobe.pipeline.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailprobe.pipeline.config.SettingValues;
import io.mailprobe.pipeline.config.VerificationSettings;
import io.mailprobe.pipeline.verdict.Reason;
import io.mailprobe.testkit.DemoWorld;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Addresses fed to a running verification share its session and get their decisions after the batch's. */
class DomainVerifierTest {

  private DemoWorld world;
  private VerificationEngine engine;

  @BeforeEach
  void start() {
    world = DemoWorld.start();
    engine = VerificationEngine.create(SettingValues.parse(world.arguments(), VerificationSettings.ALL, Set.of()));
  }

  @AfterEach
  void stop() {
    engine.close();
    assertThat(world.anyDataReceived()).isFalse();
    world.close();
  }

  private Pending pending(String email) {
    return new Pending(((Precheck.Result.ToProbe) engine.precheck().check(email)).address(), Attempt.first(Instant.now()));
  }

  @Test
  void fedAddressesAreDecidedInTheSameSessionInTheOrderFed() throws Exception {
    ArrayDeque<List<Pending>> rounds = new ArrayDeque<>(List.of(
        List.of(pending("nobody@acme.test"), pending("alice@acme.test")),
        List.of(pending("bob@acme.test"))));
    PendingFeed feed = () -> CompletableFuture.supplyAsync(() -> rounds.isEmpty() ? List.of() : rounds.poll());

    DomainReport report = engine.domainVerifier()
        .verify("acme.test", List.of(pending("alice@acme.test")), CatchAllStatus.UNKNOWN, feed)
        .toCompletableFuture().get(20, TimeUnit.SECONDS);

    assertThat(report.decisions()).extracting(d -> d.verdict().email())
        .containsExactly("alice@acme.test", "nobody@acme.test", "alice@acme.test", "bob@acme.test");
    assertThat(report.decisions()).extracting(d -> d.verdict().reason())
        .containsExactly(Reason.ACCEPTED, Reason.MAILBOX_NOT_FOUND, Reason.ACCEPTED, Reason.ACCEPTED);
    assertThat(report.catchAll()).isEqualTo(CatchAllStatus.NO);
    assertThat(report.sessions()).isEqualTo(1);
    List<String> rcpts = world.host("127.0.0.2").commands().stream().filter(c -> c.startsWith("RCPT")).toList();
    assertThat(rcpts).as("the repeated address is asked once; the catch-all probe comes last").hasSize(4)
        .startsWith("RCPT TO:<alice@acme.test>", "RCPT TO:<nobody@acme.test>", "RCPT TO:<bob@acme.test>");
  }
}
