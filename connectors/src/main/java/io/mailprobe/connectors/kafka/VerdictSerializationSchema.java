package io.mailprobe.connectors.kafka;

import io.mailprobe.connectors.config.TopicName;
import io.mailprobe.connectors.json.VerdictJson;
import io.mailprobe.connectors.json.VerdictJson.EventVerdict;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes verdicts to the verdicts topic as DESIGN §2 JSON, keyed by the normalized address ({@link VerdictJson#key}). */
public final class VerdictSerializationSchema implements KafkaRecordSerializationSchema<EventVerdict> {

  private static final long serialVersionUID = 1L;

  private final String topic;

  /** A schema writing to {@code topic}. */
  public VerdictSerializationSchema(String topic) {
    this.topic = TopicName.check(topic);
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(EventVerdict element, KafkaSinkContext context, Long timestamp) {
    return new ProducerRecord<>(
        topic,
        null,
        timestamp,
        VerdictJson.key(element.verdict()),
        VerdictJson.write(element.eventId(), element.verdict()));
  }
}
