package io.mailprobe.connectors.signup;

import java.time.Instant;
import java.util.Objects;

/**
 * One signup read from Kafka (DESIGN §2): the address to verify, the event's own id and time when it gave them, every
 * other field of the event carried through untouched, and the record it came from.
 *
 * @param eventId the event's {@code event_id}, or null when it had none (see {@link #id()})
 * @param email the address exactly as the event gave it
 * @param ts the event's {@code ts}, or null when it had none
 * @param meta the event's other fields as a JSON object text ({@code {}} when there were none)
 */
public record SignupEvent(
    String eventId, String email, Instant ts, String meta, String topic, int partition, long offset) {

  public SignupEvent {
    Objects.requireNonNull(email, "email");
    Objects.requireNonNull(meta, "meta");
    Objects.requireNonNull(topic, "topic");
  }

  /**
   * The id the verdict answers: {@code event_id} when the event has one, else {@code topic-partition-offset}, which
   * names the record uniquely and stays the same when the record is read again after a restore.
   */
  public String id() {
    return eventId != null ? eventId : topic + "-" + partition + "-" + offset;
  }
}
