package io.mailprobe.connectors.kafka;

import io.mailprobe.connectors.config.TopicName;
import io.mailprobe.connectors.json.DeadLetterJson;
import io.mailprobe.connectors.signup.DeadLetter;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes dead letters to the dead-letter topic as {@link DeadLetterJson}, under the original record's key so that a
 * replay partitions them as the original was.
 */
public final class DeadLetterSerializationSchema implements KafkaRecordSerializationSchema<DeadLetter> {

  private static final long serialVersionUID = 1L;

  private final String topic;

  /** A schema writing to {@code topic}. */
  public DeadLetterSerializationSchema(String topic) {
    this.topic = TopicName.check(topic);
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(DeadLetter letter, KafkaSinkContext context, Long timestamp) {
    return new ProducerRecord<>(topic, null, timestamp, letter.key(), DeadLetterJson.write(letter));
  }
}
