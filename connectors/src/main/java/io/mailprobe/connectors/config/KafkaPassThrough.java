package io.mailprobe.connectors.config;

import io.mailprobe.pipeline.config.InvalidSettingException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Kafka client properties given as {@code --kafka.<property> value} (or {@code --kafka.<property>=value}), taken out
 * of the arguments so that the rest can go to {@code SettingValues.parse}, which refuses keys it does not know.
 *
 * @param clientProperties the properties without their {@code kafka.} prefix, in the order given
 * @param otherArgs every other argument, in order
 */
public record KafkaPassThrough(Map<String, String> clientProperties, List<String> otherArgs) {

  /** The prefix that marks a Kafka client property. */
  public static final String PREFIX = "kafka.";

  public KafkaPassThrough {
    clientProperties = Collections.unmodifiableMap(new LinkedHashMap<>(clientProperties));
    otherArgs = List.copyOf(otherArgs);
  }

  /** Splits command-line arguments; everything after {@code --} is left alone. */
  public static KafkaPassThrough split(List<String> args) {
    Map<String, String> properties = new LinkedHashMap<>();
    List<String> rest = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--")) {
        rest.addAll(args.subList(i, args.size()));
        break;
      }
      if (!arg.startsWith("--" + PREFIX)) {
        rest.add(arg);
        continue;
      }
      String body = arg.substring(2 + PREFIX.length());
      int eq = body.indexOf('=');
      String property = eq < 0 ? body : body.substring(0, eq);
      String value;
      if (eq >= 0) {
        value = body.substring(eq + 1);
      } else if (i + 1 < args.size()) {
        value = args.get(++i);
      } else {
        throw new InvalidSettingException("--" + PREFIX + property + " needs a value");
      }
      properties.put(checkProperty(property), value);
    }
    return new KafkaPassThrough(properties, rest);
  }

  /** The {@code kafka.*} entries of a configuration map (e.g. Flink's), without their prefix. */
  public static Map<String, String> fromMap(Map<String, String> config) {
    Map<String, String> properties = new LinkedHashMap<>();
    config.forEach(
        (key, value) -> {
          if (key.startsWith(PREFIX)) {
            properties.put(checkProperty(key.substring(PREFIX.length())), value);
          }
        });
    return properties;
  }

  private static String checkProperty(String property) {
    if (!property.matches("[a-z0-9][a-z0-9._-]*")) {
      throw new InvalidSettingException(
          "--" + PREFIX + property + ": expected a Kafka client property such as --kafka.security.protocol");
    }
    return property;
  }
}
