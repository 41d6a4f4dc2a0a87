package io.mailprobe.jobs.local;

import io.mailprobe.connectors.json.VerdictJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Counts what went through the local run, from Kafka itself: events in (the end offsets of the signups topic),
 * verdicts out and dead letters (records read read_committed from the start, so exactly what the job has committed),
 * and verdicts by status. Not thread-safe: one thread calls {@link #update}.
 */
public final class TopicTally implements AutoCloseable {

  /** The counts at one moment; in flight is what has neither a verdict nor a dead letter yet. */
  public record Counts(long eventsIn, long verdictsOut, long deadLetters, Map<String, Long> byStatus) {
    public long inFlight() {
      return Math.max(0, eventsIn - verdictsOut - deadLetters);
    }

    /** One line for people, e.g. {@code events in 12 | verdicts out 10 | in flight 1 | dead letters 1 | ...}. */
    public String line() {
      StringBuilder s =
          new StringBuilder()
              .append("events in ").append(eventsIn)
              .append(" | verdicts out ").append(verdictsOut)
              .append(" | in flight ").append(inFlight())
              .append(" | dead letters ").append(deadLetters)
              .append(" |");
      byStatus.forEach((status, n) -> s.append(' ').append(status).append(' ').append(n));
      return s.toString();
    }
  }

  private static final Duration POLL = Duration.ofMillis(100);
  private static final Duration MAX_CATCH_UP = Duration.ofMillis(500);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final String verdicts;
  private final List<TopicPartition> signupPartitions = new ArrayList<>();
  private long verdictsOut;
  private long deadLetters;
  private final Map<String, Long> byStatus = new LinkedHashMap<>();

  /** Reads the three topics, which must exist, at {@code bootstrapServers}. */
  public TopicTally(String bootstrapServers, String signups, String verdicts, String deadLetterTopic) {
    this.verdicts = verdicts;
    for (String status : List.of("deliverable", "undeliverable", "risky", "unknown")) {
      byStatus.put(status, 0L);
    }
    consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.CLIENT_ID_CONFIG, "mailprobe-progress"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    List<TopicPartition> read = new ArrayList<>();
    for (PartitionInfo p : consumer.partitionsFor(verdicts)) {
      read.add(new TopicPartition(p.topic(), p.partition()));
    }
    for (PartitionInfo p : consumer.partitionsFor(deadLetterTopic)) {
      read.add(new TopicPartition(p.topic(), p.partition()));
    }
    for (PartitionInfo p : consumer.partitionsFor(signups)) {
      signupPartitions.add(new TopicPartition(p.topic(), p.partition()));
    }
    consumer.assign(read);
    consumer.seekToBeginning(read);
  }

  /** Reads what arrived since the last call (for at most about half a second) and returns the counts. */
  public Counts update() {
    long stopAt = System.nanoTime() + MAX_CATCH_UP.toNanos();
    while (System.nanoTime() < stopAt) {
      int n = 0;
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
        n++;
        if (r.topic().equals(verdicts)) {
          verdictsOut++;
          byStatus.merge(status(r.value()), 1L, Long::sum);
        } else {
          deadLetters++;
        }
      }
      if (n == 0) {
        break;
      }
    }
    long eventsIn = 0;
    // The scripts produce without transactions, so the end offset of each partition is its number of records.
    for (long end : consumer.endOffsets(signupPartitions).values()) {
      eventsIn += end;
    }
    return new Counts(eventsIn, verdictsOut, deadLetters, java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byStatus)));
  }

  private static String status(byte[] value) {
    try {
      return VerdictJson.read(value).verdict().status().wireName();
    } catch (RuntimeException e) {
      return "unreadable";
    }
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(2));
  }
}
