package io.mailprobe.pipeline.config;

import java.util.Objects;
import java.util.function.Function;

/**
 * One configuration key: its name (used as {@code --key value} by the job, the CLI and the scripts), its default,
 * what it means, and how its text becomes a value.
 *
 * @param defaultText the default as text, or null when the key has no default (the value is then absent)
 */
public record Setting<T>(String key, String defaultText, String description, Function<String, T> parser) {

  public Setting {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(parser, "parser");
    if (!key.matches("[a-z][a-z0-9.-]*")) {
      throw new IllegalArgumentException("setting keys are lower-case words joined by '-' or '.': " + key);
    }
  }

  /** Parses {@code text} for this key, naming the key in the error when it is not valid. */
  public T parse(String text) {
    try {
      return parser.apply(text.trim());
    } catch (RuntimeException e) {
      throw new InvalidSettingException(
          "--" + key + " " + text + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()), e);
    }
  }
}
