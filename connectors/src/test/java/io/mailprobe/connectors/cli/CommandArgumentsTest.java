package io.mailprobe.connectors.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailprobe.pipeline.config.InvalidSettingException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Argument handling of scripts/produce and scripts/consume; none of these cases reaches a broker. */
class CommandArgumentsTest {

  @Test
  void produceExplainsItselfWithHelp() {
    Result r = produce("--help");
    assertThat(r.exit).isZero();
    assertThat(r.out).contains("usage: scripts/produce", "--bootstrap-servers", "--signups-topic", "--kafka.");
  }

  @Test
  void produceRefusesBadUsageWithExitCode2() {
    assertThat(produce("--verdicts-topic", "x")).satisfies(r -> assertUsageError(r, "unknown option --verdicts-topic"));
    assertThat(produce("a.txt", "b.txt")).satisfies(r -> assertUsageError(r, "at most one file"));
    assertThat(produce("/no/such/file.txt")).satisfies(r -> assertUsageError(r, "no such file: /no/such/file.txt"));
    assertThat(produce("--signups-topic", "bad topic")).satisfies(r -> assertUsageError(r, "--signups-topic"));
    assertThat(produce("--bootstrap-servers", "localhost")).satisfies(r -> assertUsageError(r, "not host:port"));
    assertThat(produce("--kafka.transactional.id", "x"))
        .satisfies(r -> assertUsageError(r, "kafka.transactional.id cannot be passed through"));
    assertThat(produce("--kafka.linger.ms")).satisfies(r -> assertUsageError(r, "needs a value"));
  }

  @Test
  void consumeExplainsItselfWithHelp() {
    Result r = consume("--help");
    assertThat(r.exit).isZero();
    assertThat(r.out).contains("usage: scripts/consume", "--follow", "--dead-letters", "--max", "--timeout", "--table");
  }

  @Test
  void consumeRefusesBadUsageWithExitCode2() {
    assertThat(consume("--follow", "--timeout", "5s")).satisfies(r -> assertUsageError(r, "do not go together"));
    assertThat(consume("--max", "0")).satisfies(r -> assertUsageError(r, "--max"));
    assertThat(consume("--timeout", "soon")).satisfies(r -> assertUsageError(r, "--timeout"));
    assertThat(consume("--timeout", "0s")).satisfies(r -> assertUsageError(r, "must be positive"));
    assertThat(consume("verdicts")).satisfies(r -> assertUsageError(r, "unexpected argument verdicts"));
    assertThat(consume("--table=yes")).satisfies(r -> assertUsageError(r, "--table takes no value"));
    assertThat(consume("--kafka.isolation.level", "read_uncommitted"))
        .satisfies(r -> assertUsageError(r, "cannot be passed through"));
  }

  @Test
  void consumeReadsVerdictsFromTheBeginningUntilIdleForTenSecondsByDefault() {
    ConsumeCommand.Request r = ConsumeCommand.parse(List.of());
    assertThat(r.topic()).isEqualTo("verdicts");
    assertThat(r.connection().bootstrapServers()).isEqualTo("localhost:9092");
    assertThat(r.follow()).isFalse();
    assertThat(r.table()).isFalse();
    assertThat(r.max()).isNull();
    assertThat(r.timeout()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void consumeTakesItsTopicsMaxTimeoutAndClientProperties() {
    ConsumeCommand.Request r =
        ConsumeCommand.parse(
            List.of(
                "--dead-letters", "--dlq-topic", "my.dlq", "--bootstrap-servers=127.0.0.1:19092", "--max", "3",
                "--timeout", "30s", "--table", "--from-beginning", "--kafka.security.protocol", "SSL"));
    assertThat(r.topic()).isEqualTo("my.dlq");
    assertThat(r.deadLetters()).isTrue();
    assertThat(r.max()).isEqualTo(3);
    assertThat(r.timeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(r.table()).isTrue();
    assertThat(r.connection().clientProperties()).containsEntry("security.protocol", "SSL");
    assertThat(ConsumeCommand.consumerProperties(r.connection()))
        .containsEntry("isolation.level", "read_committed")
        .containsEntry("bootstrap.servers", "127.0.0.1:19092")
        .containsEntry("security.protocol", "SSL");

    assertThat(ConsumeCommand.parse(List.of("--follow", "--verdicts-topic", "v2")))
        .satisfies(f -> {
          assertThat(f.follow()).isTrue();
          assertThat(f.topic()).isEqualTo("v2");
        });
    assertThatThrownBy(() -> ConsumeCommand.parse(List.of("--nope"))).isInstanceOf(InvalidSettingException.class);
  }

  private static void assertUsageError(Result r, String message) {
    assertThat(r.exit).as(r.err).isEqualTo(2);
    assertThat(r.err).contains(message);
    assertThat(r.out).isEmpty();
  }

  private record Result(int exit, String out, String err) {}

  private static Result produce(String... args) {
    return run(true, args);
  }

  private static Result consume(String... args) {
    return run(false, args);
  }

  private static Result run(boolean produce, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ByteArrayInputStream in = new ByteArrayInputStream(new byte[0]);
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    int exit =
        produce
            ? ProduceCommand.run(List.of(args), in, o, e)
            : ConsumeCommand.run(List.of(args), in, o, e);
    return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
