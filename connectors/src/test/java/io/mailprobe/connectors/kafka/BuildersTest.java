package io.mailprobe.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class BuildersTest {

  private static final KafkaConnection SASL =
      new KafkaConnection("kafka-1:9093,kafka-2:9093", Map.of("security.protocol", "SASL_SSL"));

  @Test
  void theSourceReadsCommittedWithThePassedThroughProperties() {
    SignupSource source = SignupSource.builder().connection(SASL).topic("signups").groupId("mailprobe");
    Properties p = source.consumerProperties();
    assertThat(p)
        .containsEntry("isolation.level", "read_committed")
        .containsEntry("group.id", "mailprobe")
        .containsEntry("bootstrap.servers", "kafka-1:9093,kafka-2:9093")
        .containsEntry("security.protocol", "SASL_SSL");
    assertThat(source.build().getBoundedness().name()).isEqualTo("CONTINUOUS_UNBOUNDED");
  }

  @Test
  void theSourceNamesWhatIsMissingOrWrong() {
    assertThatThrownBy(() -> SignupSource.builder().connection(SASL).groupId("g").build())
        .hasMessage("the signup source needs a topic");
    assertThatThrownBy(() -> SignupSource.builder().connection(SASL).topic("signups").build())
        .hasMessage("the signup source needs a group id");
    assertThatThrownBy(() -> SignupSource.builder().topic("signups").groupId("g").build())
        .hasMessage("the signup source needs a connection (bootstrap servers)");
    assertThatThrownBy(() -> SignupSource.builder().groupId(" ")).hasMessage("a consumer group id is required");
    assertThatThrownBy(() -> SignupSource.builder().topic("a/b")).hasMessageContaining("may only contain");
  }

  @Test
  void passThroughMayNotUndoWhatTheBuildersOwn() {
    assertThatThrownBy(() -> new KafkaConnection("k:9092", Map.of("isolation.level", "read_uncommitted")))
        .hasMessage("kafka.isolation.level cannot be passed through: mailprobe sets it (see the Kafka settings)");
    assertThatThrownBy(() -> KafkaConnection.to("")).hasMessage("at least one host:port is needed");
  }

  @Test
  void theSinkIsExactlyOnceWithABoundedTransactionTimeout() {
    ExactlyOnceSink sink =
        ExactlyOnceSink.builder(SASL).transactionalIdPrefix("mailprobe-verdicts").transactionTimeout(Duration.ofMinutes(5));
    assertThat(sink.producerProperties())
        .containsEntry("transaction.timeout.ms", "300000")
        .containsEntry("bootstrap.servers", "kafka-1:9093,kafka-2:9093")
        .containsEntry("security.protocol", "SASL_SSL");
    assertThat(sink.build(new VerdictSerializationSchema("verdicts"))).isNotNull();
    assertThat(ExactlyOnceSink.builder(SASL).producerProperties()).containsEntry("transaction.timeout.ms", "900000");
  }

  @Test
  void theSinkRefusesATimeoutTheBrokerWouldRefuseAndAMissingPrefix() {
    assertThatThrownBy(() -> ExactlyOnceSink.builder(SASL).transactionTimeout(Duration.ofMinutes(16)))
        .hasMessageContaining("exceeds 15 minutes");
    assertThatThrownBy(() -> ExactlyOnceSink.builder(SASL).transactionTimeout(Duration.ZERO))
        .hasMessageContaining("must be positive");
    assertThatThrownBy(() -> ExactlyOnceSink.builder(SASL).build(new DeadLetterSerializationSchema("signups.dlq")))
        .hasMessage("an exactly-once sink needs a transactional id prefix");
    assertThatThrownBy(() -> ExactlyOnceSink.builder(SASL).transactionalIdPrefix("a b"))
        .hasMessageContaining("transactional id prefix");
  }
}
