package io.mailprobe.jobs;

import java.util.Objects;

/**
 * A signup whose address passed the precheck and goes to its domain's verifier. A Flink POJO (public fields, no-arg
 * constructor) so that it crosses the network and sits in state without Kryo.
 */
public final class VerificationRequest {

  /** The event's id (or topic-partition-offset when it had none). */
  public String eventId;

  /** The address exactly as given in the event. */
  public String email;

  /** The lower-case A-label domain: the key. */
  public String domain;

  public VerificationRequest() {}

  public VerificationRequest(String eventId, String email, String domain) {
    this.eventId = eventId;
    this.email = email;
    this.domain = domain;
  }

  public String domain() {
    return domain;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VerificationRequest r
        && Objects.equals(eventId, r.eventId)
        && Objects.equals(email, r.email)
        && Objects.equals(domain, r.domain);
  }

  @Override
  public int hashCode() {
    return Objects.hash(eventId, email, domain);
  }

  @Override
  public String toString() {
    return "VerificationRequest{" + eventId + ", " + email + "}";
  }
}
