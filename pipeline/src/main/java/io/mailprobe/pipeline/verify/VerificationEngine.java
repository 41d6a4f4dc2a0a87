package io.mailprobe.pipeline.verify;

import io.mailprobe.pipeline.config.SettingValues;
import io.mailprobe.pipeline.config.VerificationSettings;
import io.mailprobe.pipeline.dns.DnsMxResolver;
import io.mailprobe.pipeline.dns.DnsSettings;
import io.mailprobe.pipeline.intel.ListName;
import io.mailprobe.pipeline.intel.ListSources;
import io.mailprobe.pipeline.intel.ReferenceLists;
import io.mailprobe.pipeline.politeness.PerHostSessionLimit;
import io.mailprobe.pipeline.smtp.SmtpClientSettings;
import io.mailprobe.pipeline.smtp.SmtpProber;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Everything verification needs, built once from the configuration keys (DESIGN §6): resolver, prober with its
 * per-host limits, reference lists, precheck and domain verifier. Close it to stop its threads.
 */
public final class VerificationEngine implements AutoCloseable {

  private final ReferenceLists lists;
  private final DnsMxResolver resolver;
  private final SmtpProber prober;
  private final PerHostSessionLimit hostLimit;
  private final ScheduledExecutorService timer;
  private final ExecutorService dnsCompletions;
  private final Precheck precheck;
  private final DomainVerifier domainVerifier;
  private final Clock clock;

  private VerificationEngine(SettingValues s, Clock clock) {
    this.clock = clock;
    this.lists = lists(s);
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "mailprobe-timer");
              t.setDaemon(true);
              return t;
            });
    // DNS answers are handled on threads of their own, not the common fork-join pool: on 2 cores that pool has one
    // thread, shared with whatever else runs there, and 1,000 domains resolved at once then reached their mail
    // servers over 1.5-2.5 s instead of 0.1 s (scripts/bench --full).
    AtomicInteger dnsThreads = new AtomicInteger();
    this.dnsCompletions =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "mailprobe-dns-" + dnsThreads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.resolver = new DnsMxResolver(dnsSettings(s), new Random(), dnsCompletions);
    this.hostLimit =
        new PerHostSessionLimit(
            s.get(VerificationSettings.MAX_SESSIONS_PER_HOST),
            s.get(VerificationSettings.SESSIONS_PER_MINUTE_PER_HOST),
            Duration.ofMinutes(1),
            timer);
    this.prober = new SmtpProber(smtpSettings(s, hostLimit));
    RetrySchedule retries =
        new RetrySchedule(
            s.get(VerificationSettings.GREYLIST_BACKOFF),
            s.get(VerificationSettings.GREYLIST_RETRIES),
            s.get(VerificationSettings.GREYLIST_MAX_AGE));
    this.precheck = new Precheck(lists, clock);
    this.domainVerifier =
        new DomainVerifier(
            resolver,
            prober,
            lists.providerRules(),
            new VerdictRules(retries),
            s.get(VerificationSettings.RECIPIENTS_PER_SESSION),
            s.get(VerificationSettings.CATCH_ALL_PROBE),
            clock,
            new SecureRandom());
  }

  /** Builds the engine from configuration; bad values fail with a message naming the key. */
  public static VerificationEngine create(SettingValues settings) {
    return new VerificationEngine(settings, Clock.systemUTC());
  }

  /** Builds the engine on a given clock (the streaming job passes its processing-time clock). */
  public static VerificationEngine create(SettingValues settings, Clock clock) {
    return new VerificationEngine(settings, clock);
  }

  /** A verifier of finite lists of addresses, as the one-off checker uses. */
  public BatchVerifier batchVerifier(int maxDomainsInFlight) {
    return new BatchVerifier(precheck, domainVerifier, clock, timer, maxDomainsInFlight);
  }

  public Precheck precheck() {
    return precheck;
  }

  public DomainVerifier domainVerifier() {
    return domainVerifier;
  }

  public ReferenceLists lists() {
    return lists;
  }

  public DnsMxResolver resolver() {
    return resolver;
  }

  public SmtpProber prober() {
    return prober;
  }

  public PerHostSessionLimit hostLimit() {
    return hostLimit;
  }

  @Override
  public void close() {
    prober.close();
    timer.shutdownNow();
    dnsCompletions.shutdownNow();
  }

  /** The reference lists the settings name (the bundled ones unless overridden). */
  public static ReferenceLists lists(SettingValues s) {
    ListSources sources = ListSources.bundled();
    boolean overridden = false;
    for (Map.Entry<ListName, io.mailprobe.pipeline.config.Setting<String>> e :
        VerificationSettings.LISTS.entrySet()) {
      String location = s.get(e.getValue());
      if (location != null) {
        sources = sources.with(e.getKey(), location);
        overridden = true;
      }
    }
    return overridden ? ReferenceLists.load(sources) : ReferenceLists.bundled();
  }

  private static DnsSettings dnsSettings(SettingValues s) {
    List<String> servers = s.get(VerificationSettings.DNS);
    DnsSettings defaults = DnsSettings.defaults();
    DnsSettings dns = defaults.withTimeout(s.get(VerificationSettings.DNS_TIMEOUT), defaults.retries());
    return servers.isEmpty() ? dns : dns.withServers(DnsSettings.parseServers(String.join(",", servers)));
  }

  private static SmtpClientSettings smtpSettings(SettingValues s, PerHostSessionLimit gate) {
    String helo = s.find(VerificationSettings.HELO).orElseGet(VerificationEngine::localHostName);
    InetSocketAddress source = s.get(VerificationSettings.SOURCE_ADDRESS);
    return SmtpClientSettings.builder()
        .port(s.get(VerificationSettings.SMTP_PORT))
        .heloName(helo)
        .mailFrom(s.get(VerificationSettings.MAIL_FROM))
        .connectTimeout(s.get(VerificationSettings.CONNECT_TIMEOUT))
        .bannerTimeout(s.get(VerificationSettings.BANNER_TIMEOUT))
        .commandTimeout(s.get(VerificationSettings.COMMAND_TIMEOUT))
        .startTls(
            s.get(VerificationSettings.STARTTLS).equals("disabled")
                ? SmtpClientSettings.StartTls.DISABLED
                : SmtpClientSettings.StartTls.OPPORTUNISTIC)
        .socksProxy(s.get(VerificationSettings.PROXY))
        .sourceAddress(source == null ? null : source.getAddress())
        .maxRejectedRcptsPerSession(s.get(VerificationSettings.MAX_REJECTIONS_PER_SESSION))
        .hostGate(gate)
        .build();
  }

  // The kernel's host name, read without any DNS lookup (InetAddress.getLocalHost may query a resolver).
  private static String localHostName() {
    for (Path p : List.of(Path.of("/proc/sys/kernel/hostname"), Path.of("/etc/hostname"))) {
      try {
        String name = Files.readString(p, StandardCharsets.US_ASCII).trim();
        if (!name.isEmpty()) {
          return name;
        }
      } catch (IOException | RuntimeException e) {
        // try the next source
      }
    }
    String env = System.getenv("HOSTNAME");
    return env == null || env.isBlank() ? "localhost" : env;
  }
}
