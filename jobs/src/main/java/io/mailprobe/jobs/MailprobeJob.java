package io.mailprobe.jobs;

import io.mailprobe.connectors.config.KafkaPassThrough;
import io.mailprobe.connectors.config.KafkaSettings;
import io.mailprobe.connectors.json.VerdictJson.EventVerdict;
import io.mailprobe.connectors.kafka.ConsumedSignup;
import io.mailprobe.connectors.kafka.DeadLetterSerializationSchema;
import io.mailprobe.connectors.kafka.ExactlyOnceSink;
import io.mailprobe.connectors.kafka.KafkaConnection;
import io.mailprobe.connectors.kafka.SignupSource;
import io.mailprobe.connectors.kafka.VerdictSerializationSchema;
import io.mailprobe.connectors.signup.DeadLetter;
import io.mailprobe.jobs.verify.DomainVerifierOperatorFactory;
import io.mailprobe.pipeline.config.InvalidSettingException;
import io.mailprobe.pipeline.config.SettingValues;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * mailprobe's streaming job (DESIGN §1): signups from Kafka, a stateless precheck, {@code keyBy(domain)}, the keyed
 * domain verifier, and exactly one verdict per event to Kafka; undecodable records to the dead-letter topic.
 */
public final class MailprobeJob {

  private MailprobeJob() {}

  /**
   * Wires the job between a stream of consumed signups and two sinks; the Kafka wiring of {@link #main} and the
   * tests both use it.
   */
  public static void build(
      DataStream<ConsumedSignup> signups,
      Sink<EventVerdict> verdicts,
      Sink<DeadLetter> deadLetters,
      Map<String, String> settings) {
    SingleOutputStreamOperator<VerificationRequest> requests =
        signups.process(new PrecheckFunction(settings), Types.POJO(VerificationRequest.class))
            .name("precheck")
            .uid("precheck");
    DataStream<EventVerdict> probed =
        requests
            .keyBy(VerificationRequest::domain, Types.STRING)
            .transform("verify domains", TypeInformation.of(EventVerdict.class), new DomainVerifierOperatorFactory(settings))
            .uid("domain-verifier");
    probed.union(requests.getSideOutput(PrecheckFunction.DECIDED)).sinkTo(verdicts).name("verdicts").uid("verdicts-sink");
    requests.getSideOutput(PrecheckFunction.DEAD_LETTERS).sinkTo(deadLetters).name("dead letters").uid("dlq-sink");
  }

  /** The Flink configuration the settings call for: checkpoints, RocksDB with incremental checkpoints, parallelism. */
  public static Configuration configuration(SettingValues values) {
    Configuration conf = new Configuration();
    conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, values.get(JobSettings.CHECKPOINT_INTERVAL));
    conf.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
    conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
    conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
    conf.set(
        CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
        ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
    values.find(JobSettings.CHECKPOINT_DIR).ifPresent(dir -> conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir));
    values.find(JobSettings.PARALLELISM).ifPresent(p -> conf.set(org.apache.flink.configuration.CoreOptions.DEFAULT_PARALLELISM, p));
    return conf;
  }

  /** Adds the Kafka source, the precheck, the verifier and the exactly-once sinks to {@code env}. */
  public static void wire(StreamExecutionEnvironment env, SettingValues values, Map<String, String> kafkaProperties) {
    KafkaConnection kafka = new KafkaConnection(values.get(KafkaSettings.BOOTSTRAP_SERVERS), kafkaProperties);
    String group = values.get(KafkaSettings.GROUP_ID);
    DataStream<ConsumedSignup> signups =
        env.fromSource(
                SignupSource.builder()
                    .connection(kafka)
                    .topic(values.get(KafkaSettings.SIGNUPS_TOPIC))
                    .groupId(group)
                    .maxEventBytes(values.get(KafkaSettings.MAX_EVENT_BYTES))
                    .build(),
                WatermarkStrategy.noWatermarks(),
                "signups")
            .uid("signups-source");
    build(
        signups,
        ExactlyOnceSink.builder(kafka)
            .transactionalIdPrefix(group + "-verdicts")
            .build(new VerdictSerializationSchema(values.get(KafkaSettings.VERDICTS_TOPIC))),
        ExactlyOnceSink.builder(kafka)
            .transactionalIdPrefix(group + "-dlq")
            .build(new DeadLetterSerializationSchema(values.get(KafkaSettings.DLQ_TOPIC))),
        values.asMap());
  }

  /** Parses {@code --key value} arguments (DESIGN §6) plus {@code --kafka.*} client properties. */
  public static ParsedArguments parse(List<String> args) {
    KafkaPassThrough kafka = KafkaPassThrough.split(args);
    SettingValues values = SettingValues.parse(kafka.otherArgs(), JobConfig.keys(), Set.of("help"));
    if (!values.positional().isEmpty()) {
      throw new InvalidSettingException("unexpected argument " + values.positional().get(0) + " (see --help)");
    }
    return new ParsedArguments(values, kafka.clientProperties());
  }

  /** Arguments of the job: mailprobe's own keys and Kafka client properties. */
  public record ParsedArguments(SettingValues values, Map<String, String> kafkaProperties) {}

  /** Entry point for {@code flink run}: see the README for the arguments. */
  public static void main(String[] args) throws Exception {
    ParsedArguments parsed;
    try {
      parsed = parse(Arrays.asList(args));
    } catch (InvalidSettingException e) {
      System.err.println("mailprobe: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (parsed.values().isGiven("help")) {
      System.out.print("usage: flink run jobs/target/mailprobe-jobs.jar [--key value ...]\n" + SettingValues.usage(JobConfig.keys()));
      return;
    }
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(configuration(parsed.values()));
    wire(env, parsed.values(), parsed.kafkaProperties());
    env.execute("mailprobe");
  }
}
