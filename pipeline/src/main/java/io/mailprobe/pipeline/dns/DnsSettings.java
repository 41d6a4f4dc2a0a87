package io.mailprobe.pipeline.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.xbill.DNS.Address;

/**
 * How the MX resolver talks to DNS: which recursive resolvers, how long to wait, how far to follow aliases and how
 * long to remember answers.
 *
 * @param servers recursive resolvers to ask, in order; empty means the system's resolvers (dnsjava's ResolverConfig)
 * @param queryTimeout how long one query to one server may take before it counts as unanswered
 * @param retries further attempts per server after the first one fails (timeout, SERVFAIL, REFUSED)
 * @param maxCnameChain the longest CNAME chain followed; longer chains and loops are a lookup failure
 * @param cacheSize the most names the answer cache holds (least recently used go first)
 * @param maxCacheTtl cap on how long a positive answer is cached, whatever its TTL
 * @param maxNegativeTtl cap on how long NXDOMAIN / no-data answers are cached
 * @param maxQueriesInFlight queries sent but not yet answered; further queries wait their turn (keeps sockets bounded
 *     when thousands of domains are resolved at once)
 */
public record DnsSettings(
    List<InetSocketAddress> servers,
    Duration queryTimeout,
    int retries,
    int maxCnameChain,
    int cacheSize,
    Duration maxCacheTtl,
    Duration maxNegativeTtl,
    int maxQueriesInFlight) {

  /** The DNS port. */
  public static final int DNS_PORT = 53;

  public DnsSettings {
    servers = List.copyOf(servers);
    Objects.requireNonNull(queryTimeout, "queryTimeout");
    Objects.requireNonNull(maxCacheTtl, "maxCacheTtl");
    Objects.requireNonNull(maxNegativeTtl, "maxNegativeTtl");
    requirePositive(queryTimeout, "queryTimeout");
    if (retries < 0) {
      throw new IllegalArgumentException("retries must be >= 0, got " + retries);
    }
    if (maxCnameChain < 0) {
      throw new IllegalArgumentException("maxCnameChain must be >= 0, got " + maxCnameChain);
    }
    if (cacheSize < 0) {
      throw new IllegalArgumentException("cacheSize must be >= 0 (0 turns the cache off), got " + cacheSize);
    }
    if (maxCacheTtl.isNegative() || maxNegativeTtl.isNegative()) {
      throw new IllegalArgumentException("cache TTL caps must not be negative");
    }
    if (maxQueriesInFlight < 1) {
      throw new IllegalArgumentException("maxQueriesInFlight must be >= 1, got " + maxQueriesInFlight);
    }
  }

  /**
   * System resolvers, 2 s per query, one retry, CNAME chains up to 8, 10,000 cached names, positive answers kept at
   * most 1 h and negative ones at most 5 min, 256 queries in flight.
   */
  public static DnsSettings defaults() {
    return new DnsSettings(
        List.of(), Duration.ofSeconds(2), 1, 8, 10_000, Duration.ofHours(1), Duration.ofMinutes(5), 256);
  }

  /** These settings with other resolvers. */
  public DnsSettings withServers(List<InetSocketAddress> newServers) {
    return new DnsSettings(
        newServers, queryTimeout, retries, maxCnameChain, cacheSize, maxCacheTtl, maxNegativeTtl, maxQueriesInFlight);
  }

  /** These settings with another per-query timeout and retry count. */
  public DnsSettings withTimeout(Duration newQueryTimeout, int newRetries) {
    return new DnsSettings(
        servers, newQueryTimeout, newRetries, maxCnameChain, cacheSize, maxCacheTtl, maxNegativeTtl,
        maxQueriesInFlight);
  }

  /** These settings with another CNAME chain bound. */
  public DnsSettings withMaxCnameChain(int newMaxCnameChain) {
    return new DnsSettings(
        servers, queryTimeout, retries, newMaxCnameChain, cacheSize, maxCacheTtl, maxNegativeTtl, maxQueriesInFlight);
  }

  /** These settings with another cache size and TTL caps. */
  public DnsSettings withCache(int newCacheSize, Duration newMaxCacheTtl, Duration newMaxNegativeTtl) {
    return new DnsSettings(
        servers, queryTimeout, retries, maxCnameChain, newCacheSize, newMaxCacheTtl, newMaxNegativeTtl,
        maxQueriesInFlight);
  }

  /** These settings with another bound on queries in flight. */
  public DnsSettings withMaxQueriesInFlight(int newMaxQueriesInFlight) {
    return new DnsSettings(
        servers, queryTimeout, retries, maxCnameChain, cacheSize, maxCacheTtl, maxNegativeTtl, newMaxQueriesInFlight);
  }

  /**
   * Parses a comma-separated list of resolver addresses: {@code 127.0.0.1}, {@code 127.0.0.1:5353}, {@code ::1},
   * {@code [::1]:53}. Only IP literals are accepted (resolving a resolver's name would need a resolver). A blank list
   * means "use the system's resolvers" and gives an empty list.
   *
   * @throws IllegalArgumentException naming the offending entry and what is wrong with it
   */
  public static List<InetSocketAddress> parseServers(String commaSeparated) {
    Objects.requireNonNull(commaSeparated, "commaSeparated");
    List<InetSocketAddress> parsed = new ArrayList<>();
    if (commaSeparated.isBlank()) {
      return List.of();
    }
    for (String entry : commaSeparated.split(",", -1)) {
      parsed.add(parseServer(entry.strip()));
    }
    return List.copyOf(parsed);
  }

  /** Parses one {@code host[:port]} resolver address; see {@link #parseServers(String)}. */
  public static InetSocketAddress parseServer(String entry) {
    if (entry.isEmpty()) {
      throw new IllegalArgumentException("empty DNS server entry (stray comma?)");
    }
    String host;
    String port = null;
    if (entry.startsWith("[")) {
      int close = entry.indexOf(']');
      if (close < 0) {
        throw bad(entry, "missing ']' after IPv6 address");
      }
      host = entry.substring(1, close);
      String rest = entry.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw bad(entry, "expected ':port' after ']'");
        }
        port = rest.substring(1);
      }
    } else if (entry.indexOf(':') != entry.lastIndexOf(':')) {
      host = entry; // bare IPv6 literal, no port
    } else {
      int colon = entry.indexOf(':');
      host = colon < 0 ? entry : entry.substring(0, colon);
      port = colon < 0 ? null : entry.substring(colon + 1);
    }
    InetAddress address = parseAddress(entry, host);
    return new InetSocketAddress(address, port == null ? DNS_PORT : parsePort(entry, port));
  }

  private static InetAddress parseAddress(String entry, String host) {
    if (host.isEmpty()) {
      throw bad(entry, "missing address");
    }
    try {
      // Address.getByAddress accepts literals only: it never asks DNS.
      return Address.getByAddress(host);
    } catch (UnknownHostException e) {
      throw bad(entry, "'" + host + "' is not an IPv4 or IPv6 address (names are not accepted)");
    }
  }

  private static int parsePort(String entry, String port) {
    int value;
    try {
      value = Integer.parseInt(port);
    } catch (NumberFormatException e) {
      throw bad(entry, "port '" + port + "' is not a number");
    }
    if (value < 1 || value > 65_535) {
      throw bad(entry, "port " + value + " is outside 1..65535");
    }
    return value;
  }

  private static IllegalArgumentException bad(String entry, String why) {
    return new IllegalArgumentException("bad DNS server '" + entry + "': " + why);
  }

  private static void requirePositive(Duration duration, String name) {
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + duration);
    }
  }
}
