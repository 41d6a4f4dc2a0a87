package io.mailprobe.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailprobe.connectors.json.DeadLetterJson;
import io.mailprobe.connectors.json.VerdictJson;
import io.mailprobe.connectors.signup.DeadLetter;
import io.mailprobe.connectors.signup.SignupEvent;
import io.mailprobe.pipeline.verdict.Flags;
import io.mailprobe.pipeline.verdict.Reason;
import io.mailprobe.pipeline.verdict.Status;
import io.mailprobe.pipeline.verdict.Verdict;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class SignupDeserializationSchemaTest {

  private static final Instant NOW = Instant.parse("2026-11-28T10:00:05Z");

  private final SignupDeserializationSchema schema =
      new SignupDeserializationSchema(1024, Clock.fixed(NOW, ZoneOffset.UTC));

  private static List<ConsumedSignup> run(KafkaRecordDeserializationSchema<ConsumedSignup> schema, byte[] key, byte[] value)
      throws Exception {
    List<ConsumedSignup> out = new ArrayList<>();
    ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("signups", 2, 7, key, value);
    schema.deserialize(
        record,
        new Collector<>() {
          @Override
          public void collect(ConsumedSignup r) {
            out.add(r);
          }

          @Override
          public void close() {}
        });
    return out;
  }

  @Test
  void aGoodRecordIsOneEvent() throws Exception {
    List<ConsumedSignup> out = run(schema, null, "{\"email\":\"a@b.example\"}".getBytes(StandardCharsets.UTF_8));
    assertThat(out)
        .containsExactly(
            new ConsumedSignup.Valid(new SignupEvent(null, "a@b.example", null, "{}", "signups", 2, 7)));
  }

  @Test
  void aFailureDownstreamInTheChainFailsTheTaskInsteadOfBecomingADeadLetter() {
    List<ConsumedSignup> seen = new ArrayList<>();
    Collector<ConsumedSignup> failing =
        new Collector<>() {
          @Override
          public void collect(ConsumedSignup r) {
            seen.add(r);
            throw new IllegalStateException("sink down");
          }

          @Override
          public void close() {}
        };
    ConsumerRecord<byte[], byte[]> record =
        new ConsumerRecord<>("signups", 0, 1, null, "{\"email\":\"a@b.example\"}".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> schema.deserialize(record, failing)).hasMessage("sink down");
    assertThat(seen).hasSize(1).allMatch(r -> r instanceof ConsumedSignup.Valid);
  }

  @Test
  void aBadRecordIsOneDeadLetterWithItsBytesAndWhy() throws Exception {
    byte[] key = {1, 2};
    byte[] value = "{\"email\":42}".getBytes(StandardCharsets.UTF_8);
    List<ConsumedSignup> out = run(schema, key, value);
    assertThat(out).hasSize(1).first().isInstanceOf(ConsumedSignup.Invalid.class);
    DeadLetter letter = ((ConsumedSignup.Invalid) out.get(0)).letter();
    assertThat(letter)
        .isEqualTo(
            new DeadLetter(
                key, value, "signups", 2, 7, null, "email_not_string: email is a number, not a string", NOW));
  }

  @Test
  void survivesJavaSerializationAsFlinkShipsIt() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(schema);
    }
    @SuppressWarnings("unchecked")
    KafkaRecordDeserializationSchema<ConsumedSignup> shipped =
        (KafkaRecordDeserializationSchema<ConsumedSignup>)
            new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray())).readObject();
    assertThat(run(shipped, null, "[]".getBytes(StandardCharsets.UTF_8)))
        .first()
        .isInstanceOf(ConsumedSignup.Invalid.class);
  }

  @Test
  void verdictsAreKeyedByAddressAndDeadLettersByTheOriginalKey() {
    Verdict v =
        new Verdict(
            "A@B.Example", "A@b.example", Status.DELIVERABLE, Reason.ACCEPTED, Flags.NONE, null, null, null, null, 1,
            null, NOW, 3);
    KafkaRecordSerializationSchema.KafkaSinkContext context = null; // neither schema asks it anything
    ProducerRecord<byte[], byte[]> verdict =
        new VerdictSerializationSchema("verdicts").serialize(new VerdictJson.EventVerdict("e-1", v), context, 5L);
    assertThat(verdict.topic()).isEqualTo("verdicts");
    assertThat(new String(verdict.key(), StandardCharsets.UTF_8)).isEqualTo("A@b.example");
    assertThat(VerdictJson.read(verdict.value())).isEqualTo(new VerdictJson.EventVerdict("e-1", v));
    assertThat(verdict.timestamp()).isEqualTo(5L);

    DeadLetter letter = new DeadLetter(new byte[] {9}, new byte[] {0}, "signups", 0, 1, null, "x: y", NOW);
    ProducerRecord<byte[], byte[]> dead =
        new DeadLetterSerializationSchema("signups.dlq").serialize(letter, context, null);
    assertThat(dead.topic()).isEqualTo("signups.dlq");
    assertThat(dead.key()).containsExactly(9);
    assertThat(DeadLetterJson.read(dead.value())).isEqualTo(letter);
  }
}
