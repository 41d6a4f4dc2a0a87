package io.mailprobe.connectors.kafka;

import io.mailprobe.connectors.json.SignupEventJson;
import io.mailprobe.connectors.signup.DeadLetter;
import java.time.Clock;
import java.time.Instant;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns each signup record into exactly one {@link ConsumedSignup}, never throwing: an exception here would fail
 * the source and replay the same bad record forever.
 *
 * <p>The produced type is a generic (Kryo) type, since Flink has no type information for sealed interfaces; the job
 * splits it into events and dead letters in the operator chained to the source.
 */
public final class SignupDeserializationSchema implements KafkaRecordDeserializationSchema<ConsumedSignup> {

  private static final long serialVersionUID = 1L;

  private final int maxEventBytes;
  private final Clock clock;
  private transient SignupEventJson json;

  /** A schema refusing values larger than {@code maxEventBytes}, stamping dead letters with the system clock. */
  public SignupDeserializationSchema(int maxEventBytes) {
    this(maxEventBytes, Clock.systemUTC());
  }

  /** As above, with the clock that stamps dead letters (tests fix it). */
  public SignupDeserializationSchema(int maxEventBytes, Clock clock) {
    this.json = new SignupEventJson(maxEventBytes); // checks the size now, at job-building time
    this.maxEventBytes = maxEventBytes;
    this.clock = clock;
  }

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ConsumedSignup> out) {
    if (json == null) {
      json = new SignupEventJson(maxEventBytes); // after the schema was shipped to a task manager
    }
    String error = null;
    SignupEventJson.Decoded decoded;
    try {
      decoded = json.read(record.value(), record.topic(), record.partition(), record.offset());
    } catch (RuntimeException e) {
      // The decoder reports every known problem as a value; this is for the unknown ones (a parser bug, a limit).
      decoded = null;
      error = "decoder_failure: " + e;
    }
    // Collect outside the try: a failure downstream in the chain must fail the task, not make a dead letter.
    if (decoded instanceof SignupEventJson.Event e) {
      out.collect(new ConsumedSignup.Valid(e.event()));
      return;
    }
    if (decoded instanceof SignupEventJson.Rejected rejected) {
      error = rejected.error().toString();
    }
    // A dead letter carries at most max-event-bytes of the original key and value: a record of a megabyte, base64
    // in the letter, would exceed the producer's request limit, fail the sink and crash-loop the job on restore.
    byte[] key = record.key();
    byte[] value = record.value();
    if (value != null && value.length > maxEventBytes) {
      error = error + " (value truncated to its first " + maxEventBytes + " of " + value.length + " bytes)";
      value = java.util.Arrays.copyOf(value, maxEventBytes);
    }
    if (key != null && key.length > maxEventBytes) {
      error = error + " (key truncated to its first " + maxEventBytes + " of " + key.length + " bytes)";
      key = java.util.Arrays.copyOf(key, maxEventBytes);
    }
    out.collect(
        new ConsumedSignup.Invalid(
            new DeadLetter(
                key,
                value,
                record.topic(),
                record.partition(),
                record.offset(),
                record.timestamp() < 0 ? null : Instant.ofEpochMilli(record.timestamp()),
                error,
                clock.instant())));
  }

  @Override
  public TypeInformation<ConsumedSignup> getProducedType() {
    return TypeInformation.of(ConsumedSignup.class);
  }
}
