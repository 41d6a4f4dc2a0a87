package io.mailprobe.pipeline.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Values given for a set of known {@link Setting}s, parsed from {@code --key value} / {@code --key=value} arguments.
 * Unknown keys and missing values are errors with a message meant for the command line.
 */
public final class SettingValues {

  private final Map<String, Setting<?>> known;
  private final Map<String, String> given;
  private final List<String> positional;

  private SettingValues(Map<String, Setting<?>> known, Map<String, String> given, List<String> positional) {
    this.known = known;
    this.given = given;
    this.positional = positional;
  }

  /**
   * Parses arguments against the known settings. Keys listed in {@code flags} take no value (their presence means
   * "true"); everything that does not start with {@code --} is a positional argument.
   */
  public static SettingValues parse(
      List<String> args, Collection<Setting<?>> settings, Collection<String> flags) {
    Map<String, Setting<?>> known = new LinkedHashMap<>();
    for (Setting<?> s : settings) {
      if (known.put(s.key(), s) != null) {
        throw new IllegalStateException("setting declared twice: " + s.key());
      }
    }
    Map<String, String> given = new LinkedHashMap<>();
    List<String> positional = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--")) {
        positional.addAll(args.subList(i + 1, args.size()));
        break;
      }
      if (!arg.startsWith("--") || arg.length() == 2) {
        positional.add(arg);
        continue;
      }
      String body = arg.substring(2);
      int eq = body.indexOf('=');
      String key = eq < 0 ? body : body.substring(0, eq);
      if (flags.contains(key)) {
        if (eq >= 0) {
          throw new InvalidSettingException("--" + key + " takes no value");
        }
        given.put(key, "true");
        continue;
      }
      Setting<?> setting = known.get(key);
      if (setting == null) {
        throw new InvalidSettingException("unknown option --" + key + " (see --help)");
      }
      String value;
      if (eq >= 0) {
        value = body.substring(eq + 1);
      } else if (i + 1 < args.size()) {
        value = args.get(++i);
      } else {
        throw new InvalidSettingException("--" + key + " needs a value");
      }
      setting.parse(value); // fail early, naming the key
      given.put(key, value);
    }
    return new SettingValues(known, Collections.unmodifiableMap(given), List.copyOf(positional));
  }

  /** Parses a map of key to value (e.g. from a properties file or Flink's configuration), ignoring foreign keys. */
  public static SettingValues of(Map<String, String> values, Collection<Setting<?>> settings) {
    Map<String, Setting<?>> known = new LinkedHashMap<>();
    settings.forEach(s -> known.put(s.key(), s));
    Map<String, String> given = new LinkedHashMap<>();
    values.forEach(
        (k, v) -> {
          Setting<?> s = known.get(k);
          if (s != null) {
            s.parse(v);
            given.put(k, v);
          }
        });
    return new SettingValues(known, Collections.unmodifiableMap(given), List.of());
  }

  /** The value given for {@code setting}, else its default; null when neither exists. */
  public <T> T get(Setting<T> setting) {
    requireKnown(setting);
    String text = given.getOrDefault(setting.key(), setting.defaultText());
    return text == null ? null : setting.parse(text);
  }

  /** The value of {@code setting}, present only when one was given or it has a default. */
  public <T> Optional<T> find(Setting<T> setting) {
    return Optional.ofNullable(get(setting));
  }

  /** True when the flag or key was given on the command line. */
  public boolean isGiven(String key) {
    return given.containsKey(key);
  }

  /** The same values with {@code key} set as if given, unless it was given already. */
  public SettingValues withDefault(String key, String value) {
    if (given.containsKey(key)) {
      return this;
    }
    Map<String, String> copy = new LinkedHashMap<>(given);
    copy.put(key, value);
    return new SettingValues(known, Collections.unmodifiableMap(copy), positional);
  }

  /** Arguments that were not options, in order. */
  public List<String> positional() {
    return positional;
  }

  /** The given values as {@code key -> text}, for passing on to another component. */
  public Map<String, String> asMap() {
    return given;
  }

  private void requireKnown(Setting<?> setting) {
    if (known.get(setting.key()) != setting) {
      throw new IllegalStateException("setting not declared for this parser: " + setting.key());
    }
  }

  /** A usage text listing each setting with its default and meaning. */
  public static String usage(Collection<Setting<?>> settings) {
    StringBuilder out = new StringBuilder();
    for (Setting<?> s : settings) {
      out.append(String.format("  --%-28s %s", s.key() + " V", s.description()));
      if (s.defaultText() != null) {
        out.append(" (default: ").append(s.defaultText().isEmpty() ? "none" : s.defaultText()).append(')');
      }
      out.append('\n');
    }
    return out.toString();
  }
}
