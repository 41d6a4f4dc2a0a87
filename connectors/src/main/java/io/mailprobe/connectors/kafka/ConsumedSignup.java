package io.mailprobe.connectors.kafka;

import io.mailprobe.connectors.signup.DeadLetter;
import io.mailprobe.connectors.signup.SignupEvent;

/**
 * What the source emits for each signup record: an event to verify, or a dead letter for the side output. Carrying
 * both in one stream keeps the source from ever failing on a bad record.
 */
public sealed interface ConsumedSignup permits ConsumedSignup.Valid, ConsumedSignup.Invalid {

  /** A record that decoded into an event. */
  record Valid(SignupEvent event) implements ConsumedSignup {}

  /** A record that did not, kept whole for the dead-letter topic. */
  record Invalid(DeadLetter letter) implements ConsumedSignup {}
}
