package io.mailprobe.connectors.kafka;

import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;

/**
 * Builds a transactional Kafka sink (verdicts, dead letters): records become visible to read_committed consumers
 * when the checkpoint that covers them completes, so a restore neither loses nor repeats them.
 *
 * <p>The transaction timeout must cover the longest gap between checkpoints plus recovery, and may not exceed the
 * broker's {@code transaction.max.timeout.ms}, 15 minutes unless raised: a larger value makes the broker refuse the
 * producer when the job starts, so it is refused here, at build time.
 */
public final class ExactlyOnceSink {

  /** The broker's default {@code transaction.max.timeout.ms}. */
  public static final Duration MAX_TRANSACTION_TIMEOUT = Duration.ofMinutes(15);

  private final KafkaConnection connection;
  private String transactionalIdPrefix;
  private Duration transactionTimeout = MAX_TRANSACTION_TIMEOUT;

  private ExactlyOnceSink(KafkaConnection connection) {
    this.connection = Objects.requireNonNull(connection, "connection");
  }

  /** A builder for a sink writing through {@code connection}. */
  public static ExactlyOnceSink builder(KafkaConnection connection) {
    return new ExactlyOnceSink(connection);
  }

  /**
   * The start of the sink's transactional ids; unique per sink and job (two sinks sharing one fence each other's
   * transactions), and kept across restarts so that a restore can abort what the last run left open.
   */
  public ExactlyOnceSink transactionalIdPrefix(String prefix) {
    if (prefix == null || !prefix.matches("[a-zA-Z0-9._-]+")) {
      throw new IllegalArgumentException(
          "transactional id prefix must be letters, digits, '.', '_' or '-': " + prefix);
    }
    this.transactionalIdPrefix = prefix;
    return this;
  }

  public ExactlyOnceSink transactionTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("transaction timeout must be positive: " + timeout);
    }
    if (timeout.compareTo(MAX_TRANSACTION_TIMEOUT) > 0) {
      throw new IllegalArgumentException(
          "transaction timeout "
              + timeout
              + " exceeds 15 minutes, the brokers' default transaction.max.timeout.ms; the sink would be refused");
    }
    this.transactionTimeout = timeout;
    return this;
  }

  /** The sink writing what {@code serializer} makes of each element; throws when the prefix is missing. */
  public <T> KafkaSink<T> build(KafkaRecordSerializationSchema<T> serializer) {
    Objects.requireNonNull(serializer, "serializer");
    if (transactionalIdPrefix == null) {
      throw new IllegalStateException("an exactly-once sink needs a transactional id prefix");
    }
    return KafkaSink.<T>builder()
        .setKafkaProducerConfig(producerProperties())
        .setRecordSerializer(serializer)
        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
        .setTransactionalIdPrefix(transactionalIdPrefix)
        .build();
  }

  /** The producer properties the sink is built with: the pass-through ones, then the ones mailprobe owns. */
  public Properties producerProperties() {
    Properties p = connection.properties();
    p.setProperty("bootstrap.servers", connection.bootstrapServers());
    p.setProperty("transaction.timeout.ms", Long.toString(transactionTimeout.toMillis()));
    return p;
  }
}
