package io.mailprobe.jobs.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailprobe.connectors.cli.ConsumeCommand;
import io.mailprobe.connectors.cli.ProduceCommand;
import io.mailprobe.connectors.json.VerdictJson;
import io.mailprobe.connectors.json.VerdictJson.EventVerdict;
import io.mailprobe.testkit.DemoWorld;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded default end to end, on loopback: LocalRun's broker and mini-cluster against the demo world, fed by
 * scripts/produce's command and read by scripts/consume's; then a second run on the same state directory resumes
 * from the retained checkpoint without repeating a verdict.
 */
class LocalRunITCase {

  @TempDir Path stateDir;

  @Test
  @Timeout(90)
  void producedAddressesGetVerdictsAndASecondRunResumesWithoutRepeatingThem() throws Exception {
    try (DemoWorld world = DemoWorld.start()) {
      List<String> args = new ArrayList<>(world.arguments());
      args.addAll(List.of("--state-dir", stateDir.toString(), "--checkpoint-interval", "1s", "--parallelism", "2"));
      LocalRun.Arguments arguments = LocalRun.parse(args, Path.of(".")).onAnyFreePort();

      List<EventVerdict> first;
      try (LocalRun run = LocalRun.start(arguments)) {
        assertThat(run.resumedFrom()).isEmpty();
        String servers = run.bootstrapServers();
        assertThat(produce(servers, "alice@acme.test\nnobody@acme.test\nalice@nxdomain.test\n")).isZero();
        first = consume(servers, "--max", "3", "--timeout", "30s");
      }
      assertThat(first)
          .extracting(v -> v.verdict().email() + " " + v.verdict().status().wireName())
          .containsExactlyInAnyOrder(
              "alice@acme.test deliverable", "nobody@acme.test undeliverable", "alice@nxdomain.test undeliverable");
      assertThat(RetainedCheckpoints.latest(stateDir.resolve("checkpoints")))
          .as("cancelling keeps the last checkpoint")
          .isPresent();

      try (LocalRun run = LocalRun.start(arguments)) {
        assertThat(run.resumedFrom()).isPresent();
        String servers = run.bootstrapServers();
        assertThat(produce(servers, "info@acme.test\n")).isZero();
        List<EventVerdict> all = consume(servers, "--max", "4", "--timeout", "30s");
        // Two more checkpoints' time: anything the restore repeated would have been committed by then.
        List<EventVerdict> settled = consume(servers, "--timeout", "3s");

        assertThat(all.subList(0, 4)).extracting(EventVerdict::eventId).doesNotHaveDuplicates();
        assertThat(settled).hasSize(4);
        assertThat(settled).extracting(EventVerdict::eventId).doesNotHaveDuplicates()
            .containsAll(first.stream().map(EventVerdict::eventId).toList());
        assertThat(settled).extracting(v -> v.verdict().email()).contains("info@acme.test");
      }
      assertThat(world.anyDataReceived()).isFalse();
    }
  }

  private static int produce(String servers, String lines) {
    return ProduceCommand.run(
        List.of("--bootstrap-servers", servers),
        new ByteArrayInputStream(lines.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        System.err);
  }

  private static List<EventVerdict> consume(String servers, String... options) {
    List<String> args = new ArrayList<>(List.of("--bootstrap-servers", servers));
    args.addAll(List.of(options));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit =
        ConsumeCommand.run(
            args,
            new ByteArrayInputStream(new byte[0]),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            System.err);
    assertThat(exit).as("consume " + args).isZero();
    List<EventVerdict> verdicts = new ArrayList<>();
    for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
      if (!line.isBlank()) {
        verdicts.add(VerdictJson.read(line.getBytes(StandardCharsets.UTF_8)));
      }
    }
    return verdicts;
  }
}
