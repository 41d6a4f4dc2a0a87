package io.mailprobe.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailprobe.connectors.cli.ConsumeCommand;
import io.mailprobe.connectors.cli.ProduceCommand;
import io.mailprobe.jobs.local.LocalKafkaBroker;
import io.mailprobe.testkit.DemoWorld;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka security settings reach the job's source and sinks and the command-line tools unchanged (issue 6): the
 * embedded broker with a SASL_PLAINTEXT/PLAIN listener, the job as {@code flink run} builds it from
 * {@code --kafka.security.protocol}, {@code --kafka.sasl.mechanism} and {@code --kafka.sasl.jaas.config}. With the
 * right password every event gets its verdict; with a wrong one the job fails with an authentication error and
 * writes nothing. Every log line of both runs (Flink, Kafka clients, the broker, mailprobe; at INFO) and every line
 * the tools print is searched for the passwords: none may appear.
 */
class KafkaSaslITCase {

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  private static final String USER = "mailprobe";
  // Unique strings, so that finding one in the logs can only mean it leaked.
  private static final String PASSWORD = "pw-right-" + UUID.randomUUID();
  private static final String WRONG = "pw-wrong-" + UUID.randomUUID();

  @TempDir Path dir;

  private LocalKafkaBroker kafka;
  private DemoWorld world;
  private CapturingAppender logs;
  private Level rootLevelBefore;

  @BeforeEach
  void start() throws Exception {
    logs = CapturingAppender.attach();
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    LoggerConfig root = ctx.getConfiguration().getRootLogger();
    rootLevelBefore = root.getLevel();
    root.setLevel(Level.INFO); // Kafka prints its client configurations at INFO: the place a secret would show
    consoleQuiet(root, ctx, Level.WARN); // the console keeps showing warnings only
    ctx.updateLoggers();
    kafka = new LocalKafkaBroker().withSaslPlainListener(Map.of(USER, PASSWORD));
    kafka.start(dir.resolve("kafka"), 0);
    kafka.createTopics(1, "signups", "verdicts", "signups.dlq");
    world = DemoWorld.start();
  }

  @AfterEach
  void stop() throws Exception {
    try {
      world.close();
      kafka.close();
    } finally {
      LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
      ctx.getConfiguration().getRootLogger().setLevel(rootLevelBefore);
      consoleQuiet(ctx.getConfiguration().getRootLogger(), ctx, null);
      ctx.updateLoggers();
      logs.detach();
    }
  }

  // Re-attaches the console appender to the root logger with a level of its own (null: none).
  private static void consoleQuiet(LoggerConfig root, LoggerContext ctx, Level level) {
    org.apache.logging.log4j.core.Appender console = ctx.getConfiguration().getAppender("console");
    if (console != null) {
      root.removeAppender("console");
      root.addAppender(console, level, null);
    }
  }

  private static String jaas(String password) {
    return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + USER
        + "\" password=\"" + password + "\";";
  }

  private List<String> security(String password) {
    return List.of(
        "--bootstrap-servers", kafka.saslBootstrapServers(),
        "--kafka.security.protocol", "SASL_PLAINTEXT",
        "--kafka.sasl.mechanism", "PLAIN",
        "--kafka.sasl.jaas.config", jaas(password));
  }

  @Test
  void theJobAndTheToolsWorkWithTheRightCredentialsAndNoSecretIsLogged() throws Exception {
    Output produced = run("produce", security(PASSWORD), "alice@acme.test\nnobody@acme.test\nfull@rows.test\n");
    assertThat(produced.code).as("produce: %s", produced.err).isZero();
    assertThat(produced.out).contains("sent 3 events");

    JobClient job = startJob(PASSWORD);
    try {
      List<String> args = new ArrayList<>(security(PASSWORD));
      args.addAll(List.of("--max", "3", "--timeout", "60s"));
      Output consumed = run("consume", args, "");
      assertThat(consumed.code).as("consume: %s", consumed.err).isZero();
      assertThat(consumed.out.lines().toList()).hasSize(3);
      assertThat(consumed.out)
          .contains("\"reason\":\"accepted\"", "\"reason\":\"mailbox_not_found\"", "\"reason\":\"mailbox_full\"");
    assertNoSecret(produced, consumed);
    } finally {
      job.cancel().get(30, TimeUnit.SECONDS);
    }
    assertThat(logs.text()).as("the broker and the clients logged").contains("SASL_PLAINTEXT");
    assertNoSecret();
  }

  @Test
  void wrongCredentialsFailClearlyWithNoVerdictAndNoSecretIsLogged() throws Exception {
    Output produced = run("produce", security(WRONG), "alice@acme.test\n");
    assertThat(produced.code).isNotZero();
    assertThat(produced.err).as("what produce says").containsIgnoringCase("authentication")
        .contains("refused our credentials").doesNotContain("is not available");
    Output consumed = run("consume", security(WRONG), "");
    assertThat(consumed.code).isNotZero();
    assertThat(consumed.err).as("what consume says").containsIgnoringCase("authentication");

    JobClient job = startJob(WRONG);
    assertThatThrownBy(() -> job.getJobExecutionResult().get(90, TimeUnit.SECONDS))
        .as("the job fails")
        .hasRootCauseInstanceOf(SaslAuthenticationException.class)
        .rootCause().hasMessageContaining("Authentication failed");
    assertThat(committedVerdicts()).as("verdicts written").isZero();
    assertThat(logs.text()).contains("Authentication failed");
    assertNoSecret(produced, consumed);
  }

  @Test
  void aMalformedJaasConfigIsNotEchoed() {
    // No closing ';': Kafka's JAAS parser refuses it. The password must not be part of what the tool prints.
    String bad = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\""
        + PASSWORD + "\"";
    List<String> args = List.of("--bootstrap-servers", kafka.saslBootstrapServers(),
        "--kafka.security.protocol", "SASL_PLAINTEXT", "--kafka.sasl.mechanism", "PLAIN",
        "--kafka.sasl.jaas.config", bad);
    Output produced = run("produce", args, "alice@acme.test\n");
    Output consumed = run("consume", args, "");
    assertThat(produced.code).isNotZero();
    assertThat(consumed.code).isNotZero();
    assertThat(MailprobeJob.parse(args).kafkaProperties()).containsEntry("sasl.jaas.config", bad);
    assertNoSecret(produced, consumed);
  }

  private JobClient startJob(String password) throws Exception {
    List<String> args = new ArrayList<>(world.arguments());
    args.addAll(security(password));
    args.addAll(List.of(
        "--checkpoint-interval", "1s",
        "--checkpoint-dir", dir.resolve("checkpoints").toUri().toString(),
        "--parallelism", "1",
        "--greylist-retries", "0"));
    MailprobeJob.ParsedArguments parsed = MailprobeJob.parse(args); // as main() does for flink run
    Configuration conf = MailprobeJob.configuration(parsed.values());
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    MailprobeJob.wire(env, parsed.values(), parsed.kafkaProperties());
    return env.executeAsync("mailprobe-sasl-it");
  }

  // Verdicts a read_committed consumer sees, read over the PLAINTEXT listener.
  private long committedVerdicts() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition tp = new TopicPartition("verdicts", 0);
      return c.endOffsets(List.of(tp), Duration.ofSeconds(10)).get(tp);
    }
  }

  private void assertNoSecret(Output... outputs) {
    for (Output o : outputs) {
      assertThat(o.out + o.err).as("what a tool printed").doesNotContain(PASSWORD).doesNotContain(WRONG);
    }
    String text = logs.text();
    assertThat(text).as("log lines captured").isNotEmpty();
    assertThat(text.contains(PASSWORD)).as("the password appears in the log").isFalse();
    assertThat(text.contains(WRONG)).as("the wrong password appears in the log").isFalse();
  }

  private record Output(int code, String out, String err) {}

  private static Output run(String tool, List<String> args, String stdin) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      ByteArrayInputStream in = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
      int code = tool.equals("produce") ? ProduceCommand.run(args, in, o, e) : ConsumeCommand.run(args, in, o, e);
      return new Output(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
  }

  /** Every log event of this JVM, formatted with its stack trace, while attached to the root logger. */
  static final class CapturingAppender extends AbstractAppender {
    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());

    private CapturingAppender() {
      super("capture-" + UUID.randomUUID(), null,
          PatternLayout.newBuilder().withPattern("%level %logger - %msg%n%throwable").build(), true,
          Property.EMPTY_ARRAY);
    }

    static CapturingAppender attach() {
      CapturingAppender a = new CapturingAppender();
      a.start();
      LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
      ctx.getConfiguration().getRootLogger().addAppender(a, Level.ALL, null);
      ctx.updateLoggers();
      return a;
    }

    void detach() {
      LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
      ctx.getConfiguration().getRootLogger().removeAppender(getName());
      ctx.updateLoggers();
      stop();
    }

    @Override
    public void append(LogEvent event) {
      lines.add(((PatternLayout) getLayout()).toSerializable(event));
    }

    String text() {
      synchronized (lines) {
        return String.join("", lines);
      }
    }
  }
}
