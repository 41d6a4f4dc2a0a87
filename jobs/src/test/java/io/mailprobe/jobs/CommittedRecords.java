package io.mailprobe.jobs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** What a read_committed consumer sees of a topic, as the tests' downstream consumer. */
final class CommittedRecords {

  private CommittedRecords() {}

  /**
   * Reads committed records from the start of every partition until {@code count} are seen (or {@code timeout}
   * passes), then {@code settle} longer so that a duplicate committed later would show too.
   */
  static List<ConsumerRecord<byte[], byte[]>> read(
      String bootstrapServers, String topic, long count, Duration timeout, Duration settle) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + timeout.toNanos();
      long settleUntil = Long.MAX_VALUE;
      while (System.nanoTime() < Math.min(deadline, settleUntil)) {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
        if (out.size() >= count && settleUntil == Long.MAX_VALUE) {
          settleUntil = System.nanoTime() + settle.toNanos();
        }
      }
    }
    return out;
  }
}
