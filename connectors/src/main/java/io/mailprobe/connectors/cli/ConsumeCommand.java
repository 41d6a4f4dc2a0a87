package io.mailprobe.connectors.cli;

import io.mailprobe.connectors.config.KafkaPassThrough;
import io.mailprobe.connectors.config.KafkaSettings;
import io.mailprobe.connectors.json.DeadLetterJson;
import io.mailprobe.connectors.json.VerdictJson;
import io.mailprobe.connectors.kafka.KafkaConnection;
import io.mailprobe.connectors.signup.DeadLetter;
import io.mailprobe.pipeline.config.InvalidSettingException;
import io.mailprobe.pipeline.config.Parsers;
import io.mailprobe.pipeline.config.Setting;
import io.mailprobe.pipeline.config.SettingValues;
import io.mailprobe.pipeline.verdict.Verdict;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * {@code scripts/consume}: prints the verdicts on the verdicts topic (or, with {@code --dead-letters}, the dead
 * letters) as JSON lines or a table. It reads read_committed, so it sees exactly what the job has committed: a
 * verdict appears once the checkpoint that covers it completes.
 */
public final class ConsumeCommand {

  static final Setting<Integer> MAX =
      new Setting<>("max", null, "stop after this many records", Parsers.intIn(1, Integer.MAX_VALUE));
  static final Setting<java.time.Duration> TIMEOUT =
      new Setting<>(
          "timeout", "10s", "stop when no new record arrived for this long (not with --follow)", Parsers::duration);
  static final List<Setting<?>> KEYS =
      List.of(KafkaSettings.BOOTSTRAP_SERVERS, KafkaSettings.VERDICTS_TOPIC, KafkaSettings.DLQ_TOPIC, MAX, TIMEOUT);
  private static final Set<String> FLAGS = Set.of("table", "from-beginning", "follow", "dead-letters", "help");
  private static final Duration BROKER_WAIT = Duration.ofSeconds(10);
  private static final Duration POLL = Duration.ofMillis(200);

  private ConsumeCommand() {}

  public static void main(String[] args) {
    System.exit(run(Arrays.asList(args), System.in, System.out, System.err));
  }

  /** What to read and how to show it, from the command line. */
  record Request(
      KafkaConnection connection, String topic, boolean deadLetters, boolean table, boolean follow, Integer max,
      Duration timeout) {}

  /** Parses the arguments; throws {@link InvalidSettingException} with a message for the command line. */
  static Request parse(List<String> args) {
    KafkaPassThrough kafka = KafkaPassThrough.split(args);
    SettingValues s = SettingValues.parse(kafka.otherArgs(), KEYS, FLAGS);
    if (!s.positional().isEmpty()) {
      throw new InvalidSettingException("unexpected argument " + s.positional().get(0) + " (see --help)");
    }
    boolean follow = s.isGiven("follow");
    if (follow && s.isGiven(TIMEOUT.key())) {
      throw new InvalidSettingException("--timeout and --follow do not go together: --follow runs until Ctrl-C");
    }
    Duration timeout = s.get(TIMEOUT);
    if (timeout.isZero() || timeout.isNegative()) {
      throw new InvalidSettingException("--timeout must be positive");
    }
    KafkaConnection connection;
    try {
      connection = new KafkaConnection(s.get(KafkaSettings.BOOTSTRAP_SERVERS), kafka.clientProperties());
    } catch (IllegalArgumentException e) {
      throw new InvalidSettingException(e.getMessage(), e);
    }
    boolean deadLetters = s.isGiven("dead-letters");
    return new Request(
        connection,
        s.get(deadLetters ? KafkaSettings.DLQ_TOPIC : KafkaSettings.VERDICTS_TOPIC),
        deadLetters,
        s.isGiven("table"),
        follow,
        s.get(MAX),
        timeout);
  }

  /** Runs the consumer; returns the process exit code (0 done, 2 bad usage, 1 failure or --max not reached). */
  public static int run(List<String> args, InputStream stdin, PrintStream out, PrintStream err) {
    if (args.contains("--help")) {
      out.print(usage());
      return 0;
    }
    Request request;
    try {
      request = parse(args);
    } catch (InvalidSettingException e) {
      err.println("consume: " + e.getMessage());
      return 2;
    }
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            consumerProperties(request.connection()), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      return consume(request, consumer, out, err);
    } catch (KafkaException e) {
      err.println("consume: " + e.getMessage());
      return 1;
    }
  }

  private static int consume(
      Request request, KafkaConsumer<byte[], byte[]> consumer, PrintStream out, PrintStream err) {
    List<PartitionInfo> partitions;
    try {
      partitions = consumer.partitionsFor(request.topic(), BROKER_WAIT);
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      partitions = null;
    }
    if (partitions == null || partitions.isEmpty()) {
      err.println(
          "consume: topic " + request.topic() + " is not available at " + request.connection().bootstrapServers()
              + " (is scripts/run running?)");
      return 1;
    }
    List<TopicPartition> assigned = new ArrayList<>();
    partitions.forEach(p -> assigned.add(new TopicPartition(p.topic(), p.partition())));
    consumer.assign(assigned);
    consumer.seekToBeginning(assigned);

    // Ctrl-C during --follow: wake the consumer and let this thread print what it holds before the JVM exits.
    CountDownLatch finished = new CountDownLatch(1);
    Thread wake =
        new Thread(
            () -> {
              consumer.wakeup();
              try {
                finished.await(5, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "consume-stop");
    Runtime.getRuntime().addShutdownHook(wake);
    Output output = new Output(request, out, err);
    long read = 0;
    long lastRecordAt = System.nanoTime();
    try {
      while (request.max() == null || read < request.max()) {
        if (!request.follow() && System.nanoTime() - lastRecordAt >= request.timeout().toNanos()) {
          break;
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
          if (request.max() != null && read >= request.max()) {
            break;
          }
          output.add(r);
          read++;
          lastRecordAt = System.nanoTime();
        }
        output.flushBatch(request.follow());
      }
    } catch (WakeupException e) {
      // Ctrl-C: fall through to print what was read.
    } finally {
      output.flushBatch(true);
      out.flush();
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(wake);
      } catch (IllegalStateException e) {
        // The JVM is shutting down: the hook is running.
      }
    }
    if (request.max() != null && read < request.max()) {
      err.println(
          "consume: " + read + " of " + request.max() + " records in " + request.topic() + "; none came for "
              + request.timeout().toSeconds() + " s");
      return 1;
    }
    return 0;
  }

  static Properties consumerProperties(KafkaConnection connection) {
    Properties p = connection.properties();
    p.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, connection.bootstrapServers());
    // Only what the job committed: no verdict of an aborted attempt, no verdict before its checkpoint.
    p.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.putIfAbsent(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    p.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "mailprobe-consume");
    return p;
  }

  /** Prints records: JSON lines as they come, or tables (one at the end, or one per batch with --follow). */
  private static final class Output {
    private final Request request;
    private final PrintStream out;
    private final PrintStream err;
    private final List<Verdict> verdicts = new ArrayList<>();
    private final List<DeadLetter> letters = new ArrayList<>();

    Output(Request request, PrintStream out, PrintStream err) {
      this.request = request;
      this.out = out;
      this.err = err;
    }

    void add(ConsumerRecord<byte[], byte[]> r) {
      if (!request.table()) {
        if (r.value() != null) {
          out.write(r.value(), 0, r.value().length);
          out.write('\n');
        }
        return;
      }
      try {
        if (request.deadLetters()) {
          letters.add(DeadLetterJson.read(r.value()));
        } else {
          verdicts.add(VerdictJson.read(r.value()).verdict());
        }
      } catch (IllegalArgumentException | NullPointerException e) {
        err.println("consume: skipped " + r.topic() + "-" + r.partition() + "@" + r.offset() + ": " + e.getMessage());
      }
    }

    // Tables need all their rows for the column widths, so they wait for the end, or for a batch with --follow.
    void flushBatch(boolean tablesToo) {
      if (tablesToo && (!verdicts.isEmpty() || !letters.isEmpty())) {
        out.print(request.deadLetters() ? DeadLetterTable.render(letters) : VerdictTable.render(verdicts));
        verdicts.clear();
        letters.clear();
      }
      out.flush();
    }
  }

  private static String usage() {
    return "usage: scripts/consume [options]\n"
        + "Prints the verdicts the job has committed, from the beginning of the verdicts topic, as JSON lines.\n"
        + "Stops after --max records, or when none came for --timeout; --follow keeps going until Ctrl-C.\n\n"
        + "  --table                        a table for people instead of JSON lines\n"
        + "  --from-beginning               start at the first record (the default)\n"
        + "  --follow                       keep printing new records until Ctrl-C\n"
        + "  --dead-letters                 read the dead-letter topic instead\n"
        + "  --help                         this text\n"
        + "  --kafka.<property> V           any other Kafka consumer property\n"
        + SettingValues.usage(KEYS);
  }
}
