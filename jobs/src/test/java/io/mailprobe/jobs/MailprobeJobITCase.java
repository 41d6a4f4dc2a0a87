package io.mailprobe.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailprobe.connectors.json.DeadLetterJson;
import io.mailprobe.connectors.json.VerdictJson;
import io.mailprobe.connectors.kafka.ConsumedSignup;
import io.mailprobe.connectors.kafka.DeadLetterSerializationSchema;
import io.mailprobe.connectors.kafka.ExactlyOnceSink;
import io.mailprobe.connectors.kafka.KafkaConnection;
import io.mailprobe.connectors.kafka.SignupSource;
import io.mailprobe.connectors.kafka.VerdictSerializationSchema;
import io.mailprobe.connectors.signup.DeadLetter;
import io.mailprobe.jobs.local.LocalKafkaBroker;
import io.mailprobe.pipeline.config.SettingValues;
import io.mailprobe.testkit.DemoWorld;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole job on a Flink MiniCluster with a real in-process Kafka broker and the loopback DNS and SMTP simulators:
 * exactly one correct verdict per event, dead letters for bad records, and a task failure mid-stream that still
 * leaves exactly one verdict per event for read_committed consumers.
 */
class MailprobeJobITCase {

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  @TempDir Path dir;

  private LocalKafkaBroker kafka;
  private DemoWorld world;

  @BeforeEach
  void start() throws Exception {
    kafka = new LocalKafkaBroker();
    kafka.start(dir.resolve("kafka"), 0);
    kafka.createTopics(2, "signups", "verdicts", "signups.dlq");
    world = DemoWorld.start();
    FailOnceAfterCheckpoint.reset();
  }

  @AfterEach
  void stop() throws Exception {
    world.close();
    kafka.close();
  }

  @Test
  void everyEventGetsExactlyOneCorrectVerdictAndBadRecordsAreDeadLettered() throws Exception {
    Map<String, DemoWorld.Expected> expected = new LinkedHashMap<>();
    Map<String, String> events = new LinkedHashMap<>();
    int n = 0;
    for (Map.Entry<String, DemoWorld.Expected> e : DemoWorld.expectations().entrySet()) {
      String id = "e" + n++;
      expected.put(id, e.getValue());
      events.put(id, e.getKey());
    }
    JobClient job = startJob(false);
    try {
      produce(events);
      List<byte[]> bad = List.of(
          "not json at all".getBytes(StandardCharsets.UTF_8),
          "{\"event_id\":\"x1\",\"mail\":\"typo@acme.test\"}".getBytes(StandardCharsets.UTF_8),
          ("{\"email\":\"" + "a".repeat(70_000) + "@acme.test\"}").getBytes(StandardCharsets.UTF_8),
          new byte[] {'{', '"', 'e', (byte) 0xC3, (byte) 0x28, '"', '}'});
      produceRaw(bad);

      Map<String, VerdictJson.EventVerdict> verdicts = awaitVerdicts(events.size());
      for (Map.Entry<String, DemoWorld.Expected> e : expected.entrySet()) {
        VerdictJson.EventVerdict v = verdicts.get(e.getKey());
        assertThat(v).as("verdict for %s", events.get(e.getKey())).isNotNull();
        assertThat(v.verdict().email()).isEqualTo(events.get(e.getKey()));
        assertThat(v.verdict().status().wireName() + "/" + v.verdict().reason().wireName())
            .as("verdict of %s", events.get(e.getKey()))
            .isEqualTo(e.getValue().status() + "/" + e.getValue().reason());
      }
      List<DeadLetter> letters = awaitDeadLetters(bad.size());
      assertThat(letters).allSatisfy(l -> {
        assertThat(l.topic()).isEqualTo("signups");
        assertThat(l.error()).isNotBlank();
      });
      // Small records come back whole; the oversized one keeps its first max-event-bytes and says so.
      List<byte[]> small = List.of(bad.get(0), bad.get(1), bad.get(3));
      assertThat(letters).extracting(DeadLetter::value).containsAll(small);
      DeadLetter oversized = letters.stream().filter(l -> l.value().length == 65_536).findFirst().orElseThrow();
      assertThat(oversized.value()).isEqualTo(Arrays.copyOf(bad.get(2), 65_536));
      assertThat(oversized.error()).contains("too_large").contains("truncated");
      assertThat(world.anyDataReceived()).isFalse();
    } finally {
      job.cancel().get();
    }
  }

  @Test
  void aTaskFailureMidStreamStillLeavesExactlyOneVerdictPerEvent() throws Exception {
    JobClient job = startJob(true);
    try {
      Map<String, String> first = addresses("a", 0, 30);
      produce(first);
      awaitVerdictCountAtLeast(10); // some verdicts are committed before the failure
      Map<String, String> second = addresses("b", 30, 60);
      produce(second); // the first record after a completed checkpoint fails the task once
      Map<String, VerdictJson.EventVerdict> verdicts = awaitVerdicts(first.size() + second.size());

      assertThat(FailOnceAfterCheckpoint.FAILED.get()).as("the task failed and recovered").isTrue();
      Map<String, String> all = new HashMap<>(first);
      all.putAll(second);
      assertThat(verdicts.keySet()).containsExactlyInAnyOrderElementsOf(all.keySet());
      verdicts.forEach((id, v) -> assertThat(v.verdict().email()).isEqualTo(all.get(id)));
    } finally {
      job.cancel().get();
    }
  }

  // user000..user119 exist on acme.test; nobody-N do not.
  private static Map<String, String> addresses(String prefix, int from, int to) {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = from; i < to; i++) {
      out.put(prefix + i, i % 5 == 0 ? "nobody-" + i + "@acme.test" : String.format("user%03d@acme.test", i));
    }
    return out;
  }

  private JobClient startJob(boolean injectFailure) throws Exception {
    Map<String, String> settings = new HashMap<>();
    List<String> args = world.arguments();
    for (int i = 0; i < args.size(); i += 2) {
      settings.put(args.get(i).substring(2), args.get(i + 1));
    }
    settings.put("bootstrap-servers", kafka.bootstrapServers());
    settings.put("checkpoint-interval", "1s");
    settings.put("checkpoint-dir", dir.resolve("checkpoints").toUri().toString());
    settings.put("parallelism", "2");
    settings.put("greylist-retries", "0"); // greylisted addresses are reported at once, as the world expects
    SettingValues values = SettingValues.of(settings, JobConfig.keys());
    Configuration conf = MailprobeJob.configuration(values);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(500));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);

    KafkaConnection connection = KafkaConnection.to(kafka.bootstrapServers());
    DataStream<ConsumedSignup> signups =
        env.fromSource(
            SignupSource.builder().connection(connection).topic("signups").groupId("mailprobe-it").build(),
            WatermarkStrategy.noWatermarks(),
            "signups");
    if (injectFailure) {
      signups = signups.map(new FailOnceAfterCheckpoint()).name("fail once");
    }
    MailprobeJob.build(
        signups,
        ExactlyOnceSink.builder(connection).transactionalIdPrefix("it-verdicts")
            .build(new VerdictSerializationSchema("verdicts")),
        ExactlyOnceSink.builder(connection).transactionalIdPrefix("it-dlq")
            .build(new DeadLetterSerializationSchema("signups.dlq")),
        settings);
    return env.executeAsync("mailprobe-it");
  }

  private void produce(Map<String, String> events) {
    List<byte[]> records = new ArrayList<>();
    events.forEach((id, email) -> records.add(
        ("{\"event_id\":" + json(id) + ",\"email\":" + json(email) + ",\"ts\":\"2026-11-28T10:00:00Z\"}")
            .getBytes(StandardCharsets.UTF_8)));
    produceRaw(records);
  }

  private void produceRaw(List<byte[]> values) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (byte[] v : values) {
        producer.send(new ProducerRecord<>("signups", v));
      }
    }
  }

  private Map<String, VerdictJson.EventVerdict> awaitVerdicts(int count) {
    Map<String, VerdictJson.EventVerdict> out = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : consume("verdicts", count, Duration.ofSeconds(90))) {
      VerdictJson.EventVerdict v = VerdictJson.read(r.value());
      assertThat(out.put(v.eventId(), v)).as("a second verdict for event %s", v.eventId()).isNull();
    }
    assertThat(out.size()).as("verdicts within 90 s; got %s", new java.util.TreeSet<>(out.keySet())).isEqualTo(count);
    return out;
  }

  private void awaitVerdictCountAtLeast(int count) {
    assertThat(consume("verdicts", count, Duration.ofSeconds(60))).hasSizeGreaterThanOrEqualTo(count);
  }

  private List<DeadLetter> awaitDeadLetters(int count) {
    return consume("signups.dlq", count, Duration.ofSeconds(30)).stream()
        .map(r -> DeadLetterJson.read(r.value()))
        .toList();
  }

  // Reads committed records from the start until `count` are seen, then a checkpoint or two more for duplicates.
  private List<ConsumerRecord<byte[], byte[]>> consume(String topic, int count, Duration timeout) {
    return CommittedRecords.read(kafka.bootstrapServers(), topic, count, timeout, Duration.ofSeconds(3));
  }

  private static String json(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\r' -> b.append("\\r");
        case '\n' -> b.append("\\n");
        default -> b.append(c);
      }
    }
    return b.append('"').toString();
  }

  /** Fails its task once: on the first record after a checkpoint has completed and ten records have passed. */
  static final class FailOnceAfterCheckpoint extends RichMapFunction<ConsumedSignup, ConsumedSignup>
      implements CheckpointListener {
    static final AtomicBoolean FAILED = new AtomicBoolean();
    static final AtomicBoolean CHECKPOINTED = new AtomicBoolean();
    static final AtomicInteger SEEN = new AtomicInteger();

    static void reset() {
      FAILED.set(false);
      CHECKPOINTED.set(false);
      SEEN.set(0);
    }

    @Override
    public ConsumedSignup map(ConsumedSignup value) {
      if (SEEN.incrementAndGet() > 10 && CHECKPOINTED.get() && FAILED.compareAndSet(false, true)) {
        throw new IllegalStateException("injected task failure");
      }
      return value;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
      if (SEEN.get() >= 10) {
        CHECKPOINTED.set(true);
      }
    }
  }
}
