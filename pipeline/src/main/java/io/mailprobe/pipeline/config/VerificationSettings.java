package io.mailprobe.pipeline.config;

import io.mailprobe.pipeline.intel.ListName;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The keys that shape verification itself (DESIGN §6), shared by the streaming job, {@code scripts/check} and the
 * other scripts. Kafka and Flink keys live beside the code that uses them and are documented in the same README
 * table.
 */
public final class VerificationSettings {

  private VerificationSettings() {}

  public static final Setting<List<String>> DNS =
      new Setting<>(
          "dns",
          "",
          "DNS resolvers as host[:port],... (empty: the system's resolvers)",
          text -> {
            List<String> servers = Parsers.list(text);
            servers.forEach(server -> Parsers.hostAndPort(server, 53)); // refuse a bad entry at start-up
            return servers;
          });
  public static final Setting<Duration> DNS_TIMEOUT =
      new Setting<>("dns-timeout", "2s", "time to wait for one DNS answer (asked once more on timeout)", Parsers::duration);
  public static final Setting<Integer> SMTP_PORT =
      new Setting<>(
          "smtp-port", "25", "TCP port of the mail servers (only tests change it)", Parsers.intIn(1, 65535));
  public static final Setting<String> HELO =
      new Setting<>(
          "helo",
          null,
          "name sent in EHLO/HELO; should have matching forward and reverse DNS (default: this host's name)",
          text -> text);
  public static final Setting<String> MAIL_FROM =
      new Setting<>(
          "mail-from",
          "<>",
          "reverse-path for MAIL FROM; <> is the null sender, as Exim's and Postfix's own callouts use",
          text -> text);
  public static final Setting<Duration> CONNECT_TIMEOUT =
      new Setting<>("connect-timeout", "10s", "time to establish a TCP connection", Parsers::duration);
  public static final Setting<Duration> BANNER_TIMEOUT =
      new Setting<>("banner-timeout", "30s", "time to wait for the 220 greeting", Parsers::duration);
  public static final Setting<Duration> COMMAND_TIMEOUT =
      new Setting<>("command-timeout", "30s", "time to wait for the reply to each command", Parsers::duration);
  public static final Setting<String> STARTTLS =
      new Setting<>(
          "starttls",
          "opportunistic",
          "opportunistic (use STARTTLS when offered) or disabled",
          text -> {
            if (!text.equals("opportunistic") && !text.equals("disabled")) {
              throw new IllegalArgumentException("must be opportunistic or disabled");
            }
            return text;
          });
  public static final Setting<InetSocketAddress> PROXY =
      new Setting<>(
          "proxy", null, "SOCKS5 proxy for SMTP connections as host:port", t -> Parsers.hostAndPort(t, 1080));
  public static final Setting<InetSocketAddress> SOURCE_ADDRESS =
      new Setting<>(
          "source-address", null, "local address SMTP connections leave from", t -> Parsers.hostAndPort(t, 0));
  public static final Setting<Integer> RECIPIENTS_PER_SESSION =
      new Setting<>(
          "recipients-per-session",
          "50",
          "RCPT TO commands per transaction before RSET (provider rules may lower it)",
          Parsers.intIn(1, 1000));
  public static final Setting<Integer> MAX_REJECTIONS_PER_SESSION =
      new Setting<>(
          "max-rejections-per-session",
          "8",
          "rejected RCPTs after which a session is recycled (Postfix slows clients after 10, drops them at 20)",
          Parsers.intIn(1, 100));
  public static final Setting<Integer> MAX_SESSIONS_PER_HOST =
      new Setting<>(
          "max-sessions-per-host", "2", "concurrent SMTP sessions per mail server address", Parsers.intIn(1, 64));
  public static final Setting<Integer> SESSIONS_PER_MINUTE_PER_HOST =
      new Setting<>(
          "sessions-per-minute-per-host",
          "60",
          "new SMTP sessions per minute per mail server address",
          Parsers.intIn(1, 100_000));
  public static final Setting<Integer> GREYLIST_RETRIES =
      new Setting<>(
          "greylist-retries",
          "4",
          "retries of a greylisted address before it is reported unknown/greylisted (scripts/check: 0 unless given)",
          Parsers.intIn(0, 20));
  public static final Setting<List<Duration>> GREYLIST_BACKOFF =
      new Setting<>(
          "greylist-backoff",
          "1m,5m,15m,60m",
          "delay before each greylist retry; the last one repeats",
          Parsers::durations);
  public static final Setting<Duration> GREYLIST_MAX_AGE =
      new Setting<>(
          "greylist-max-age", "2h", "give up retrying an address this long after its first attempt", Parsers::duration);
  public static final Setting<Boolean> CATCH_ALL_PROBE =
      new Setting<>(
          "catch-all-probe",
          "true",
          "ask one random local part after the real recipients to detect catch-all domains",
          Parsers::bool);
  public static final Setting<Duration> CATCH_ALL_TTL =
      new Setting<>("catch-all-ttl", "24h", "how long a domain's catch-all result is trusted", Parsers::duration);
  /** One key per reference list (e.g. {@code --disposable-domains PATH|URL}) replacing the bundled file. */
  public static final Map<ListName, Setting<String>> LISTS = listSettings();

  private static final List<Setting<?>> CORE =
      List.of(
          DNS,
          DNS_TIMEOUT,
          SMTP_PORT,
          HELO,
          MAIL_FROM,
          CONNECT_TIMEOUT,
          BANNER_TIMEOUT,
          COMMAND_TIMEOUT,
          STARTTLS,
          PROXY,
          SOURCE_ADDRESS,
          RECIPIENTS_PER_SESSION,
          MAX_REJECTIONS_PER_SESSION,
          MAX_SESSIONS_PER_HOST,
          SESSIONS_PER_MINUTE_PER_HOST,
          GREYLIST_RETRIES,
          GREYLIST_BACKOFF,
          GREYLIST_MAX_AGE,
          CATCH_ALL_PROBE,
          CATCH_ALL_TTL);

  /** Every verification key including the list overrides, in the order the usage text lists them. */
  public static final List<Setting<?>> ALL = withLists();

  private static Map<ListName, Setting<String>> listSettings() {
    Map<ListName, Setting<String>> out = new EnumMap<>(ListName.class);
    for (ListName list : ListName.values()) {
      out.put(
          list,
          new Setting<>(list.key(), null, "path or URL replacing the bundled " + list.key() + " list", t -> t));
    }
    return Collections.unmodifiableMap(out);
  }

  private static List<Setting<?>> withLists() {
    List<Setting<?>> all = new ArrayList<>(CORE);
    all.addAll(LISTS.values());
    return List.copyOf(all);
  }
}
