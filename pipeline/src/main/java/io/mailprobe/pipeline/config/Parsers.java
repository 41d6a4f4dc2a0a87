package io.mailprobe.pipeline.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsers for the value types that settings use: durations, integers in a range, host[:port] and lists. */
public final class Parsers {

  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  private Parsers() {}

  /** Parses {@code 250ms}, {@code 10s}, {@code 5m}, {@code 2h}, {@code 1d}, or an ISO-8601 duration. */
  public static Duration duration(String text) {
    Matcher m = DURATION.matcher(text);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    try {
      return Duration.parse(text);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a duration (use e.g. 500ms, 10s, 5m, 2h)");
    }
  }

  /** A comma-separated list of durations, e.g. {@code 1m,5m,15m,60m}. */
  public static List<Duration> durations(String text) {
    List<Duration> out = new ArrayList<>();
    for (String part : list(text)) {
      out.add(duration(part));
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("at least one duration is needed");
    }
    return List.copyOf(out);
  }

  /** A function parsing an integer in {@code [min, max]}. */
  public static java.util.function.Function<String, Integer> intIn(int min, int max) {
    return text -> {
      int n;
      try {
        n = Integer.parseInt(text);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not a whole number");
      }
      if (n < min || n > max) {
        throw new IllegalArgumentException("must be between " + min + " and " + max);
      }
      return n;
    };
  }

  /** Comma-separated words, blanks dropped. */
  public static List<String> list(String text) {
    List<String> out = new ArrayList<>();
    for (String part : text.split(",")) {
      if (!part.isBlank()) {
        out.add(part.trim());
      }
    }
    return List.copyOf(out);
  }

  /**
   * Parses {@code host}, {@code host:port}, {@code [v6]:port} or a bare IPv6 address into an unresolved-free socket
   * address. The host must be a literal address: configuration never triggers a DNS lookup of its own.
   */
  public static InetSocketAddress hostAndPort(String text, int defaultPort) {
    String host;
    int port = defaultPort;
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("unbalanced '[' in " + text);
      }
      host = text.substring(1, close);
      String rest = text.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw new IllegalArgumentException("expected ':port' after ']' in " + text);
        }
        port = port(rest.substring(1));
      }
    } else if (text.indexOf(':') != text.lastIndexOf(':')) {
      host = text; // a bare IPv6 address
    } else if (text.contains(":")) {
      host = text.substring(0, text.indexOf(':'));
      port = port(text.substring(text.indexOf(':') + 1));
    } else {
      host = text;
    }
    if (!isLiteralAddress(host)) {
      throw new IllegalArgumentException("'" + host + "' is not an IP address (names are not looked up here)");
    }
    try {
      return new InetSocketAddress(InetAddress.getByName(host), port);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("bad address " + host);
    }
  }

  /** Parses true/false, yes/no, on/off. */
  public static Boolean bool(String text) {
    return switch (text.toLowerCase(java.util.Locale.ROOT)) {
      case "true", "yes", "on" -> Boolean.TRUE;
      case "false", "no", "off" -> Boolean.FALSE;
      default -> throw new IllegalArgumentException("must be true or false");
    };
  }

  /** Parses a TCP/UDP port number. */
  public static int port(String text) {
    return intIn(1, 65535).apply(text);
  }

  private static boolean isLiteralAddress(String host) {
    if (host.contains(":")) {
      return host.matches("[0-9A-Za-z:.%]+"); // InetAddress parses IPv6 literals without a lookup
    }
    String[] octets = host.split("\\.", -1);
    if (octets.length != 4) {
      return false;
    }
    for (String o : octets) {
      if (!o.matches("\\d{1,3}") || Integer.parseInt(o) > 255) {
        return false;
      }
    }
    return true;
  }
}
