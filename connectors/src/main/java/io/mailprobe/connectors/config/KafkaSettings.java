package io.mailprobe.connectors.config;

import io.mailprobe.pipeline.config.Parsers;
import io.mailprobe.pipeline.config.Setting;
import java.util.List;

/**
 * The Kafka keys of DESIGN §6, given as {@code --key value} like the verification keys.
 *
 * <p>Kafka client properties that have no key of their own (SASL, TLS, timeouts) pass through with a {@code kafka.}
 * prefix, e.g. {@code --kafka.security.protocol SASL_SSL --kafka.sasl.mechanism SCRAM-SHA-512}; they reach the
 * source's consumer and the sinks' producers unchanged. {@link KafkaPassThrough#split} takes them out of the
 * arguments before {@code SettingValues.parse}, which knows only declared keys.
 */
public final class KafkaSettings {

  private KafkaSettings() {}

  public static final Setting<String> BOOTSTRAP_SERVERS =
      new Setting<>(
          "bootstrap-servers", "localhost:9092", "Kafka brokers as host:port,...", BootstrapServers::check);
  public static final Setting<String> SIGNUPS_TOPIC =
      new Setting<>("signups-topic", "signups", "topic the signup events are read from", TopicName::check);
  public static final Setting<String> VERDICTS_TOPIC =
      new Setting<>("verdicts-topic", "verdicts", "topic the verdicts are written to", TopicName::check);
  public static final Setting<String> DLQ_TOPIC =
      new Setting<>(
          "dlq-topic", "signups.dlq", "topic undecodable signup records are dead-lettered to", TopicName::check);
  public static final Setting<String> GROUP_ID =
      new Setting<>(
          "group-id",
          "mailprobe",
          "Kafka consumer group of the job; also the start of its sinks' transactional ids",
          text -> {
            if (text.isEmpty()) {
              throw new IllegalArgumentException("a group id is required");
            }
            return text;
          });
  public static final Setting<Integer> MAX_EVENT_BYTES =
      new Setting<>(
          "max-event-bytes",
          "65536",
          "signup records larger than this are dead-lettered unread",
          Parsers.intIn(16, 16 * 1024 * 1024));

  /** Every Kafka key, in the order the usage text lists them. */
  public static final List<Setting<?>> ALL =
      List.of(BOOTSTRAP_SERVERS, SIGNUPS_TOPIC, VERDICTS_TOPIC, DLQ_TOPIC, GROUP_ID, MAX_EVENT_BYTES);
}
