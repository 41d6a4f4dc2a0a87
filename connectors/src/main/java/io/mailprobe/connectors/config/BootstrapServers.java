package io.mailprobe.connectors.config;

import io.mailprobe.pipeline.config.Parsers;

/**
 * Kafka's {@code bootstrap.servers}: {@code host:port} pairs separated by commas. Host names are allowed here (unlike
 * the SMTP settings): the Kafka client resolves them itself.
 */
public final class BootstrapServers {

  private BootstrapServers() {}

  /** Returns the list without blanks around its entries, or throws naming the entry that is wrong. */
  public static String check(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("at least one host:port is needed");
    }
    StringBuilder out = new StringBuilder();
    for (String entry : Parsers.list(text)) {
      int colon = entry.lastIndexOf(':');
      if (colon <= 0 || colon == entry.length() - 1) {
        throw new IllegalArgumentException("'" + entry + "' is not host:port");
      }
      try {
        Parsers.port(entry.substring(colon + 1));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("'" + entry + "': port " + e.getMessage());
      }
      out.append(out.length() == 0 ? "" : ",").append(entry);
    }
    if (out.length() == 0) {
      throw new IllegalArgumentException("at least one host:port is needed");
    }
    return out.toString();
  }
}
