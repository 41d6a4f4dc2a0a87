package io.mailprobe.pipeline.verdict;

import java.util.Locale;

/** The answer to "can mail be delivered here?" (DESIGN §2). */
public enum Status {
  DELIVERABLE,
  UNDELIVERABLE,
  RISKY,
  UNKNOWN;

  /** The lower-case name used on the wire. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a wire name such as {@code "risky"}. */
  public static Status fromWireName(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
