package io.mailprobe.jobs.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalKafkaBrokerITCase {

  @TempDir Path dataDir;

  @Test
  void readCommittedSeesCommittedTransactionsOnlyAndARestartKeepsTopicsRecordsAndOffsets() throws Exception {
    TopicPartition signups0 = new TopicPartition("signups", 0);
    try (LocalKafkaBroker broker = new LocalKafkaBroker()) {
      String servers = broker.start(dataDir, 0);
      assertThat(servers).matches("127\\.0\\.0\\.1:\\d+");
      broker.createTopics(2, "signups", "verdicts");
      broker.createTopics(2, "signups"); // again: the embedded default does this on every start

      try (KafkaProducer<String, String> producer = producer(servers)) {
        producer.initTransactions();
        producer.beginTransaction();
        producer.send(new ProducerRecord<>("signups", 0, "k1", "{\"email\":\"a@b.example\"}"));
        producer.send(new ProducerRecord<>("signups", 0, "k2", "{\"email\":\"c@d.example\"}"));
        producer.commitTransaction();
        producer.beginTransaction();
        producer.send(new ProducerRecord<>("signups", 0, "k3", "{\"email\":\"aborted@x.example\"}"));
        producer.flush();
        producer.abortTransaction();
        producer.beginTransaction();
        producer.send(new ProducerRecord<>("signups", 0, "k4", "{\"email\":\"e@f.example\"}"));
        producer.commitTransaction();
      }

      try (KafkaConsumer<String, String> consumer = consumer(servers)) {
        consumer.assign(List.of(signups0));
        consumer.seekToBeginning(List.of(signups0));
        assertThat(pollValues(consumer, 3))
            .containsExactly(
                "{\"email\":\"a@b.example\"}", "{\"email\":\"c@d.example\"}", "{\"email\":\"e@f.example\"}");
        consumer.commitSync(Map.of(signups0, new OffsetAndMetadata(2)));
      }
    }

    try (LocalKafkaBroker broker = new LocalKafkaBroker()) {
      String servers = broker.start(dataDir, 0);
      try (Admin admin = broker.admin()) {
        assertThat(admin.listTopics().names().get()).contains("signups", "verdicts");
        assertThat(admin.listConsumerGroupOffsets("it").partitionsToOffsetAndMetadata().get())
            .containsEntry(signups0, new OffsetAndMetadata(2));
      }
      try (KafkaConsumer<String, String> consumer = consumer(servers)) {
        consumer.assign(List.of(signups0));
        consumer.seekToBeginning(List.of(signups0));
        assertThat(pollValues(consumer, 3)).hasSize(3).doesNotContain("{\"email\":\"aborted@x.example\"}");
      }
    }
  }

  @Test
  void topicsAreNotCreatedByWritingToThem() throws Exception {
    try (LocalKafkaBroker broker = new LocalKafkaBroker()) {
      String servers = broker.start(dataDir, 0);
      assertThatThrownBy(() -> broker.start(dataDir, 0)).isInstanceOf(IllegalStateException.class);
      try (Admin admin = broker.admin()) {
        admin.describeCluster().nodes().get(); // the broker answers
        Map<String, Object> config =
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, "1500");
        try (KafkaProducer<String, String> producer =
            new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
          assertThatThrownBy(() -> producer.send(new ProducerRecord<>("no-such-topic", "x")).get())
              .hasMessageContaining("no-such-topic");
        }
        assertThat(admin.listTopics().names().get()).doesNotContain("no-such-topic");
      }
    }
  }

  private static KafkaProducer<String, String> producer(String servers) {
    Map<String, Object> config =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
            ProducerConfig.TRANSACTIONAL_ID_CONFIG, "it-producer",
            ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "900000");
    return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
  }

  private static KafkaConsumer<String, String> consumer(String servers) {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
            ConsumerConfig.GROUP_ID_CONFIG, "it",
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
  }

  // Polls until `count` values arrived or 15 s passed, then a little longer to catch any extra ones.
  private static List<String> pollValues(KafkaConsumer<String, String> consumer, int count) {
    List<String> values = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (values.size() < count && System.nanoTime() < deadline) {
      for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
        values.add(r.value());
      }
    }
    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
      values.add(r.value());
    }
    return values;
  }
}
