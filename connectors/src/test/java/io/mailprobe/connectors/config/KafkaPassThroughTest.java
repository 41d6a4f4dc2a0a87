package io.mailprobe.connectors.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailprobe.pipeline.config.InvalidSettingException;
import io.mailprobe.pipeline.config.SettingValues;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KafkaPassThroughTest {

  @Test
  void takesKafkaPropertiesOutAndLeavesTheRestForSettingValues() {
    KafkaPassThrough split =
        KafkaPassThrough.split(
            List.of(
                "--kafka.security.protocol", "SASL_SSL",
                "--bootstrap-servers", "kafka-1:9093",
                "--kafka.sasl.jaas.config=a=b c=d",
                "input.txt"));
    assertThat(split.clientProperties())
        .containsExactly(Map.entry("security.protocol", "SASL_SSL"), Map.entry("sasl.jaas.config", "a=b c=d"));
    assertThat(split.otherArgs()).containsExactly("--bootstrap-servers", "kafka-1:9093", "input.txt");

    SettingValues values = SettingValues.parse(split.otherArgs(), KafkaSettings.ALL, Set.of());
    assertThat(values.get(KafkaSettings.BOOTSTRAP_SERVERS)).isEqualTo("kafka-1:9093");
    assertThat(values.get(KafkaSettings.DLQ_TOPIC)).isEqualTo("signups.dlq");
    assertThat(values.get(KafkaSettings.MAX_EVENT_BYTES)).isEqualTo(65536);
  }

  @Test
  void argumentsAfterDoubleDashAreLeftAlone() {
    KafkaPassThrough split = KafkaPassThrough.split(List.of("--", "--kafka.acks", "all"));
    assertThat(split.clientProperties()).isEmpty();
    assertThat(split.otherArgs()).containsExactly("--", "--kafka.acks", "all");
  }

  @Test
  void aPropertyWithoutValueOrNameIsAnError() {
    assertThatThrownBy(() -> KafkaPassThrough.split(List.of("--kafka.security.protocol")))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessage("--kafka.security.protocol needs a value");
    assertThatThrownBy(() -> KafkaPassThrough.split(List.of("--kafka.", "x")))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("expected a Kafka client property");
  }

  @Test
  void fromMapKeepsOnlyPrefixedKeys() {
    assertThat(KafkaPassThrough.fromMap(Map.of("kafka.ssl.truststore.location", "/t.jks", "group-id", "g")))
        .isEqualTo(Map.of("ssl.truststore.location", "/t.jks"));
  }

  @Test
  void settingsRefuseBadTopicsAndServers() {
    assertThatThrownBy(() -> KafkaSettings.SIGNUPS_TOPIC.parse("sign ups"))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageContaining("may only contain letters, digits");
    assertThatThrownBy(() -> KafkaSettings.BOOTSTRAP_SERVERS.parse("localhost"))
        .hasMessageContaining("'localhost' is not host:port");
    assertThatThrownBy(() -> KafkaSettings.BOOTSTRAP_SERVERS.parse("a:9092,b:99999"))
        .hasMessageContaining("'b:99999': port must be between 1 and 65535");
    assertThat(KafkaSettings.BOOTSTRAP_SERVERS.parse("a:9092, [::1]:9093")).isEqualTo("a:9092,[::1]:9093");
  }
}
