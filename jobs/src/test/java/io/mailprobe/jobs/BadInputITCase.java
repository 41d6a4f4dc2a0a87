package io.mailprobe.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailprobe.connectors.json.DeadLetterJson;
import io.mailprobe.connectors.json.VerdictJson;
import io.mailprobe.connectors.kafka.DeadLetterSerializationSchema;
import io.mailprobe.connectors.kafka.ExactlyOnceSink;
import io.mailprobe.connectors.kafka.KafkaConnection;
import io.mailprobe.connectors.kafka.SignupSource;
import io.mailprobe.connectors.kafka.VerdictSerializationSchema;
import io.mailprobe.connectors.signup.DeadLetter;
import io.mailprobe.jobs.local.LocalKafkaBroker;
import io.mailprobe.pipeline.config.SettingValues;
import io.mailprobe.testkit.DemoWorld;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A generated corpus of bad input (issue 6) through the whole job: every record gets a dead letter, an
 * undeliverable/invalid_syntax verdict, or, where the input is in fact a valid address, a normal verdict; the job
 * runs with restarts disabled and is still RUNNING at the end, so no input ever failed it.
 */
class BadInputITCase {

  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

  @TempDir Path dir;

  /** What a record must come out as. */
  enum Expect { DEAD_LETTER, INVALID_SYNTAX, NORMAL }

  record Bad(String category, byte[] value, String eventId, Expect expect) {}

  static List<Bad> corpus() {
    List<Bad> out = new ArrayList<>();
    Random random = new Random(6);
    int[] n = {0};
    java.util.function.BiConsumer<String, String> withEmailJson = (category, emailJson) -> {
      String id = "bad-" + n[0]++;
      out.add(new Bad(category, ("{\"event_id\":\"" + id + "\",\"email\":" + emailJson + "}").getBytes(StandardCharsets.UTF_8),
          id, null));
    };
    for (int i = 0; i < 150; i++) { // not JSON at all
      byte[] junk = new byte[1 + random.nextInt(200)];
      random.nextBytes(junk);
      junk[0] = (byte) ('a' + random.nextInt(26)); // never a valid JSON start
      out.add(new Bad("not JSON", junk, null, Expect.DEAD_LETTER));
    }
    String[] wrongTypes = {"42", "true", "[\"a@acme.test\"]", "{\"x\":1}", "null", "1e400"};
    for (int i = 0; i < 120; i++) {
      String id = "bad-" + n[0]++;
      out.add(new Bad("wrong types", ("{\"event_id\":\"" + id + "\",\"email\":" + wrongTypes[i % wrongTypes.length] + "}")
          .getBytes(StandardCharsets.UTF_8), id, Expect.DEAD_LETTER));
    }
    for (int i = 0; i < 100; i++) {
      String id = "bad-" + n[0]++;
      out.add(new Bad("no email", ("{\"event_id\":\"" + id + "\",\"mail\":\"x" + i + "@acme.test\"}")
          .getBytes(StandardCharsets.UTF_8), id, Expect.DEAD_LETTER));
    }
    for (int i = 0; i < 5; i++) { // 1 MB fields (the broker's default record limit is 1 MiB): over max-event-bytes, dead-lettered unread
      String id = "bad-" + n[0]++;
      out.add(new Bad("1 MB field", ("{\"event_id\":\"" + id + "\",\"email\":\"a@acme.test\",\"blob\":\"" + "z".repeat(1_000_000)
          + "\"}").getBytes(StandardCharsets.UTF_8), id, Expect.DEAD_LETTER));
    }
    String[] controls = {"\\r", "\\n", "\\u0000", "\\r\\nRCPT TO:<x@evil.test>", "\\u0085", "\\u2028"};
    for (int i = 0; i < 120; i++) {
      withEmailJson.accept("CR/LF/NUL in the address",
          "\"user" + i + controls[i % controls.length] + "@acme.test\"");
    }
    for (int i = 0; i < 100; i++) { // invalid UTF-8 inside the JSON string
      String id = "bad-" + n[0]++;
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      b.writeBytes(("{\"event_id\":\"" + id + "\",\"email\":\"us").getBytes(StandardCharsets.UTF_8));
      b.writeBytes(new byte[][] {{(byte) 0xC3, 0x28}, {(byte) 0xFF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
          {(byte) 0xF0, 0x28, (byte) 0x8C, 0x28}}[i % 4]);
      b.writeBytes("er@acme.test\"}".getBytes(StandardCharsets.UTF_8));
      out.add(new Bad("invalid UTF-8", b.toByteArray(), id, Expect.DEAD_LETTER));
    }
    for (int i = 0; i < 30; i++) {
      withEmailJson.accept("10,000-char local part", "\"" + "l".repeat(10_000 + i) + "@acme.test\"");
    }
    String[] lookAlikes = {"p\\u0430ypal.test", "g\\u043e\\u043egle.test", "\\u03b1cme.test", "ac\\u0441me.test"};
    for (int i = 0; i < 100; i++) {
      withEmailJson.accept("mixed-script IDN look-alike", "\"user" + i + "@" + lookAlikes[i % lookAlikes.length] + "\"");
    }
    String[] brackets = {"<user@acme.test", "user>@acme.test", "\\\"a<b\\\"@acme.test", "user@acme.test>", "<>@acme.test"};
    for (int i = 0; i < 100; i++) {
      withEmailJson.accept("brackets", "\"" + brackets[i % brackets.length] + "\"");
    }
    for (int i = 0; i < 2000; i++) { // thousands of one domain at once: valid addresses, normal verdicts
      withEmailJson.accept("2,000 addresses of one domain", "\"" + String.format("user%03d", i % DemoWorld.ACME_USERS)
          + "@acme.test\"");
    }
    for (int i = 0; i < n[0]; i++) {
      Bad b = out.get(i);
      if (b.expect() == null) {
        Expect e = b.category().startsWith("2,000") ? Expect.NORMAL : Expect.INVALID_SYNTAX;
        out.set(i, new Bad(b.category(), b.value(), b.eventId(), e));
      }
    }
    return out.stream().map(b -> b.expect() != null ? b : new Bad(b.category(), b.value(), b.eventId(),
        b.category().startsWith("2,000") ? Expect.NORMAL : Expect.INVALID_SYNTAX)).toList();
  }

  @Test
  void everyBadRecordGetsADeadLetterOrAVerdictAndTheJobNeverRestarts() throws Exception {
    List<Bad> corpus = corpus();
    try (LocalKafkaBroker kafka = new LocalKafkaBroker(); DemoWorld world = DemoWorld.start()) {
      String servers = kafka.start(dir.resolve("kafka"), 0);
      kafka.createTopics(2, "signups", "verdicts", "signups.dlq");
      JobClient job = start(servers, world);
      try {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(4 << 20));
        try (KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
          for (Bad b : corpus) {
            producer.send(new ProducerRecord<>("signups", b.value()));
          }
        }
        long letters = corpus.stream().filter(b -> b.expect() == Expect.DEAD_LETTER).count();
        long withVerdict = corpus.size() - letters;
        Map<String, VerdictJson.EventVerdict> verdicts = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : consume(servers, "verdicts", withVerdict)) {
          VerdictJson.EventVerdict v = VerdictJson.read(r.value());
          assertThat(verdicts.put(v.eventId(), v)).as("second verdict for %s", v.eventId()).isNull();
        }
        List<DeadLetter> deadLetters =
            consume(servers, "signups.dlq", letters).stream().map(r -> DeadLetterJson.read(r.value())).toList();

        Map<String, Map<String, Integer>> table = new TreeMap<>();
        List<String> wrong = new ArrayList<>();
        List<byte[]> expectedLetters = new ArrayList<>();
        for (Bad b : corpus) {
          String outcome;
          if (b.expect() == Expect.DEAD_LETTER) {
            expectedLetters.add(b.value());
            outcome = "dead letter";
          } else {
            VerdictJson.EventVerdict v = verdicts.get(b.eventId());
            outcome = v == null ? "NO VERDICT" : v.verdict().status().wireName() + "/" + v.verdict().reason().wireName();
            boolean ok = v != null && (b.expect() == Expect.INVALID_SYNTAX
                ? outcome.equals("undeliverable/invalid_syntax")
                : outcome.equals("deliverable/accepted"));
            if (!ok && wrong.size() < 10) {
              wrong.add(b.category() + " " + b.eventId() + " -> " + outcome);
            }
          }
          table.computeIfAbsent(b.category(), k -> new TreeMap<>()).merge(outcome, 1, Integer::sum);
        }
        StringBuilder report = new StringBuilder(String.format("%nbad input: %d records%n", corpus.size()));
        table.forEach((category, outcomes) -> report.append(String.format("  %-32s %s%n", category, outcomes)));
        System.out.println(report);
        assertThat(wrong).as(report.toString()).isEmpty();
        // One dead letter per undecodable record (records over max-event-bytes are dead-lettered unread, so they are
        // matched by count and error, the others by their bytes).
        assertThat(deadLetters).hasSize(expectedLetters.size());
        assertThat(deadLetters).allSatisfy(l -> assertThat(l.error()).isNotBlank());
        List<String> small = expectedLetters.stream().filter(v -> v.length < 65_536)
            .map(v -> new String(v, StandardCharsets.ISO_8859_1)).toList();
        assertThat(deadLetters.stream().map(DeadLetter::value).filter(v -> v != null && v.length < 65_536)
            .map(v -> new String(v, StandardCharsets.ISO_8859_1)).toList()).containsAll(small);
        assertThat(verdicts).hasSize((int) withVerdict);
        // Restarts are disabled: a record that failed the job would have left it FAILED.
        assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
        assertThat(world.anyDataReceived()).isFalse();
      } finally {
        job.cancel().get();
      }
    }
  }

  private JobClient start(String servers, DemoWorld world) throws Exception {
    Map<String, String> settings = new HashMap<>();
    List<String> args = world.arguments();
    for (int i = 0; i < args.size(); i += 2) {
      settings.put(args.get(i).substring(2), args.get(i + 1));
    }
    settings.put("bootstrap-servers", servers);
    settings.put("checkpoint-interval", "1s");
    settings.put("checkpoint-dir", dir.resolve("checkpoints").toUri().toString());
    settings.put("parallelism", "2");
    settings.put("greylist-retries", "0");
    SettingValues values = SettingValues.of(settings, JobConfig.keys());
    Configuration conf = MailprobeJob.configuration(values);
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    KafkaConnection connection = KafkaConnection.to(servers);
    MailprobeJob.build(
        env.fromSource(SignupSource.builder().connection(connection).topic("signups").groupId("bad-input").build(),
            WatermarkStrategy.noWatermarks(), "signups"),
        ExactlyOnceSink.builder(connection).transactionalIdPrefix("bad-verdicts").build(new VerdictSerializationSchema("verdicts")),
        ExactlyOnceSink.builder(connection).transactionalIdPrefix("bad-dlq").build(new DeadLetterSerializationSchema("signups.dlq")),
        settings);
    return env.executeAsync("bad-input");
  }

  private static List<ConsumerRecord<byte[], byte[]>> consume(String servers, String topic, long count) {
    return CommittedRecords.read(servers, topic, count, Duration.ofSeconds(120), Duration.ofSeconds(2));
  }
}
