package io.mailprobe.pipeline.address;

import java.util.Objects;

/** The outcome of parsing an address: a valid address, or the input with the first problem found. */
public sealed interface ParsedAddress {

  /** The text that was parsed (null only when null was given). */
  String input();

  /** True for {@link Valid}. */
  default boolean isValid() {
    return this instanceof Valid;
  }

  /** A syntactically valid address. */
  record Valid(EmailAddress address) implements ParsedAddress {
    public Valid {
      Objects.requireNonNull(address, "address");
    }

    @Override
    public String input() {
      return address.input();
    }
  }

  /**
   * An address that cannot be used.
   *
   * @param problem a specific, human-readable reason such as "local part is 65 octets; the limit is 64"
   */
  record Invalid(String input, String problem) implements ParsedAddress {
    public Invalid {
      Objects.requireNonNull(problem, "problem");
    }
  }
}
