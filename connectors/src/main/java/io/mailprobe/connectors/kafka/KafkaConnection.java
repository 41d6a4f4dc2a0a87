package io.mailprobe.connectors.kafka;

import io.mailprobe.connectors.config.BootstrapServers;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Where the brokers are and how to reach them: the bootstrap servers plus client properties passed through as given
 * (SASL, TLS, timeouts; see {@code KafkaSettings}). Properties that the source and sinks set themselves are refused
 * here, because a pass-through value would silently undo exactly-once or the consumer group.
 *
 * @param clientProperties Kafka client properties without the {@code kafka.} prefix
 */
public record KafkaConnection(String bootstrapServers, Map<String, String> clientProperties) {

  /** Properties the builders own; each has its own option. */
  static final Set<String> OWNED =
      Set.of(
          "bootstrap.servers",
          "group.id",
          "isolation.level",
          "enable.auto.commit",
          "transactional.id",
          "transaction.timeout.ms",
          "enable.idempotence",
          "key.serializer",
          "value.serializer",
          "key.deserializer",
          "value.deserializer");

  public KafkaConnection {
    bootstrapServers = BootstrapServers.check(bootstrapServers);
    for (String key : clientProperties.keySet()) {
      if (OWNED.contains(key)) {
        throw new IllegalArgumentException(
            "kafka." + key + " cannot be passed through: mailprobe sets it (see the Kafka settings)");
      }
    }
    clientProperties = Collections.unmodifiableMap(new LinkedHashMap<>(clientProperties));
  }

  /** A connection without extra client properties. */
  public static KafkaConnection to(String bootstrapServers) {
    return new KafkaConnection(bootstrapServers, Map.of());
  }

  /** The client properties, as the Kafka builders take them. */
  public Properties properties() {
    Properties p = new Properties();
    p.putAll(clientProperties);
    return p;
  }
}
