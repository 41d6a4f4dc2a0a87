package io.mailprobe.connectors.config;

/** Kafka's rules for topic names, checked where a name is configured rather than where the broker refuses it. */
public final class TopicName {

  // Kafka: at most 249 characters of [a-zA-Z0-9._-], and not "." or "..".
  private static final int MAX_LENGTH = 249;

  private TopicName() {}

  /** Returns {@code name} when Kafka would accept it as a topic name, else throws saying why. */
  public static String check(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("a topic name is required");
    }
    if (name.equals(".") || name.equals("..")) {
      throw new IllegalArgumentException("'" + name + "' is not a valid topic name");
    }
    if (name.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("topic name longer than " + MAX_LENGTH + " characters");
    }
    if (!name.matches("[a-zA-Z0-9._-]+")) {
      throw new IllegalArgumentException(
          "topic name '" + name + "' may only contain letters, digits, '.', '_' and '-'");
    }
    return name;
  }
}
