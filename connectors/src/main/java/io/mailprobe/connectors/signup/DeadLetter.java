package io.mailprobe.connectors.signup;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * A record that could not be verified, kept with its original bytes so that it can be inspected and replayed, and
 * with where it came from and why it was set aside.
 *
 * @param key the original key, or null when the record had none
 * @param value the original value, or null for a tombstone
 * @param timestamp the original record's timestamp, or null when it had none
 * @param error what was wrong with it (see {@link DecodeError#toString()})
 * @param deadLetteredAt when it was set aside
 */
public record DeadLetter(
    byte[] key,
    byte[] value,
    String topic,
    int partition,
    long offset,
    Instant timestamp,
    String error,
    Instant deadLetteredAt) {

  public DeadLetter {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(error, "error");
    Objects.requireNonNull(deadLetteredAt, "deadLetteredAt");
  }

  // A record compares arrays by reference; two letters of the same bytes are the same letter.
  @Override
  public boolean equals(Object o) {
    return o instanceof DeadLetter d
        && Arrays.equals(key, d.key)
        && Arrays.equals(value, d.value)
        && topic.equals(d.topic)
        && partition == d.partition
        && offset == d.offset
        && Objects.equals(timestamp, d.timestamp)
        && error.equals(d.error)
        && deadLetteredAt.equals(d.deadLetteredAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        Arrays.hashCode(key), Arrays.hashCode(value), topic, partition, offset, timestamp, error, deadLetteredAt);
  }

  @Override
  public String toString() {
    return "DeadLetter[" + topic + "-" + partition + "-" + offset + ", " + error + ", "
        + (value == null ? "no value" : value.length + " bytes") + "]";
  }
}
