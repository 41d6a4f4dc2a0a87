package io.mailprobe.connectors.kafka;

import io.mailprobe.connectors.config.TopicName;
import io.mailprobe.connectors.json.SignupEventJson;
import java.util.Objects;
import java.util.Properties;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * Builds the Kafka source of signup events: read_committed (an aborted producer transaction must not become a
 * verdict), starting from the group's committed offsets, else from the earliest record, and committing offsets on
 * each checkpoint so that tools can see the job's lag.
 */
public final class SignupSource {

  private KafkaConnection connection;
  private String topic;
  private String groupId;
  private int maxEventBytes = SignupEventJson.DEFAULT_MAX_EVENT_BYTES;
  private OffsetsInitializer startingOffsets = OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);

  private SignupSource() {}

  /** A builder with the default size limit and starting offsets. */
  public static SignupSource builder() {
    return new SignupSource();
  }

  public SignupSource connection(KafkaConnection connection) {
    this.connection = Objects.requireNonNull(connection, "connection");
    return this;
  }

  public SignupSource topic(String topic) {
    this.topic = TopicName.check(topic);
    return this;
  }

  public SignupSource groupId(String groupId) {
    if (groupId == null || groupId.isBlank()) {
      throw new IllegalArgumentException("a consumer group id is required");
    }
    this.groupId = groupId;
    return this;
  }

  public SignupSource maxEventBytes(int maxEventBytes) {
    if (maxEventBytes < 1) {
      throw new IllegalArgumentException("maxEventBytes must be positive: " + maxEventBytes);
    }
    this.maxEventBytes = maxEventBytes;
    return this;
  }

  /** Where to start when the job has neither a checkpoint nor committed offsets (tests and benchmarks change it). */
  public SignupSource startingOffsets(OffsetsInitializer startingOffsets) {
    this.startingOffsets = Objects.requireNonNull(startingOffsets, "startingOffsets");
    return this;
  }

  /** The source; throws naming the first missing argument. */
  public KafkaSource<ConsumedSignup> build() {
    require(topic, "topic");
    return KafkaSource.<ConsumedSignup>builder()
        .setProperties(consumerProperties())
        .setTopics(topic)
        .setStartingOffsets(startingOffsets)
        .setDeserializer(new SignupDeserializationSchema(maxEventBytes))
        .build();
  }

  /** The consumer properties the source is built with: the pass-through ones, then the ones mailprobe owns. */
  public Properties consumerProperties() {
    require(connection, "connection (bootstrap servers)");
    require(groupId, "group id");
    Properties p = connection.properties();
    p.setProperty("bootstrap.servers", connection.bootstrapServers());
    p.setProperty("group.id", groupId);
    p.setProperty("isolation.level", "read_committed");
    p.setProperty("commit.offsets.on.checkpoint", "true");
    return p;
  }

  private static void require(Object value, String what) {
    if (value == null) {
      throw new IllegalStateException("the signup source needs a " + what);
    }
  }
}
