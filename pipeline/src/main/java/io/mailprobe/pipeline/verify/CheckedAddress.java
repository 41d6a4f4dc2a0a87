package io.mailprobe.pipeline.verify;

import io.mailprobe.pipeline.address.EmailAddress;
import io.mailprobe.pipeline.verdict.Flags;

/**
 * An address that passed the precheck and still needs its mail server's answer, with what the lists already said
 * about it.
 *
 * @param input the address exactly as given
 * @param suggestion a typo suggestion for the domain, or null
 */
public record CheckedAddress(String input, EmailAddress address, Flags flags, String suggestion) {

  /** The normalized address, as it goes on the wire. */
  public String normalized() {
    return address.normalized();
  }

  /** The lower-case A-label domain: the key that groups addresses into sessions. */
  public String domain() {
    return address.domain();
  }
}
