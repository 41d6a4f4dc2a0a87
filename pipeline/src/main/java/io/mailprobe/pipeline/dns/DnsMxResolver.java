package io.mailprobe.pipeline.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.lookup.LookupSession;
import org.xbill.DNS.lookup.NoSuchDomainException;
import org.xbill.DNS.lookup.NoSuchRRSetException;
import org.xbill.DNS.lookup.RedirectLoopException;
import org.xbill.DNS.lookup.RedirectOverflowException;

/**
 * Finds the mail route of a domain with dnsjava's asynchronous {@link LookupSession}: MX records in preference order
 * (shuffled among equals), the A and AAAA addresses of every MX host, the implicit MX of RFC 5321 §5.1, the null MX
 * of RFC 7505, and a TTL-respecting cache shared by all lookups.
 *
 * <p>Decisions worth knowing:
 *
 * <ul>
 *   <li>An MX host whose name does not resolve is skipped: it is not a mail server. If no MX host resolves, the
 *       route is {@link MailRoute.LookupFailed} when at least one host's lookup failed (SERVFAIL, timeout: it may
 *       resolve later) and {@link MailRoute.NoMailServer} when every host is NXDOMAIN or has no address records.
 *   <li>A null MX ({@code MX 0 .}) mixed with real MX records is ignored and the real ones are used: the domain is
 *       misconfigured, and the real records are the more useful half of the contradiction.
 *   <li>A CNAME loop or a chain longer than {@link DnsSettings#maxCnameChain()} is {@link MailRoute.LookupFailed}
 *       (recursive resolvers answer SERVFAIL for the same situation; we do not call mail undeliverable on it).
 *   <li>A name that cannot exist in DNS (bad label, too long) is {@link MailRoute.NoSuchDomain}.
 *   <li>Addresses of a host are listed IPv4 first, then IPv6.
 *   <li>dnsjava's cache reads the system clock and offers no public way to inject another, so expiry follows real
 *       time (the tests use 1-second TTLs).
 * </ul>
 *
 * <p>The stage returned by {@link #resolve(String)} always completes normally and is completed on the executor
 * (default: the common fork-join pool); the calling thread only reads the cache and hands queries to dnsjava's
 * non-blocking client.
 */
public final class DnsMxResolver implements MxResolver {
  private final LookupSession session;
  private final CountingCache cache;
  private final RandomGenerator random;
  private final int maxCnameChain;
  // Questions being asked now: concurrent lookups of one question share its query. Thousands of domains that name
  // the same MX host would otherwise each ask for its addresses until the first answer is in the cache.
  private final ConcurrentHashMap<String, CompletableFuture<Answer>> asking = new ConcurrentHashMap<>();

  /** A resolver with the given settings, a fresh random source and the common fork-join pool. */
  public DnsMxResolver(DnsSettings settings) {
    this(settings, new Random(), ForkJoinPool.commonPool());
  }

  /** A resolver whose shuffling of equal-preference MX hosts draws from {@code random} (seed it in tests). */
  public DnsMxResolver(DnsSettings settings, RandomGenerator random) {
    this(settings, random, ForkJoinPool.commonPool());
  }

  /**
   * A resolver completing its stages on {@code executor}.
   *
   * @throws IllegalStateException when no DNS servers are configured and the system names none
   */
  public DnsMxResolver(DnsSettings settings, RandomGenerator random, Executor executor) {
    Objects.requireNonNull(settings, "settings");
    this.random = Objects.requireNonNull(random, "random");
    this.maxCnameChain = settings.maxCnameChain();
    LookupSession.LookupSessionBuilder builder =
        LookupSession.builder()
            .resolver(resolverFor(settings))
            .maxRedirects(settings.maxCnameChain())
            .executor(Objects.requireNonNull(executor, "executor"));
    if (settings.cacheSize() > 0) {
      cache = new CountingCache();
      cache.setMaxEntries(settings.cacheSize());
      cache.setMaxCache(seconds(settings.maxCacheTtl()));
      cache.setMaxNCache(seconds(settings.maxNegativeTtl()));
      builder.cache(cache);
    } else {
      cache = null;
    }
    this.session = builder.build();
  }

  private static Resolver resolverFor(DnsSettings settings) {
    List<InetSocketAddress> servers =
        settings.servers().isEmpty() ? ResolverConfig.getCurrentConfig().servers() : settings.servers();
    if (servers.isEmpty()) {
      throw new IllegalStateException("no DNS servers configured and the system configuration names none");
    }
    List<Resolver> nameServers =
        servers.stream().map(s -> new NameServer(s, settings.queryTimeout())).collect(Collectors.toList());
    ExtendedResolver failover = new ExtendedResolver(nameServers);
    int attemptsPerServer = settings.retries() + 1;
    failover.setRetries(attemptsPerServer);
    // ExtendedResolver gives up once its own deadline passed; keep it above the sum of our per-query timeouts so
    // that the last server's own failure (with its detail) is what comes back.
    failover.setTimeout(
        settings.queryTimeout().multipliedBy((long) attemptsPerServer * servers.size()).plusSeconds(1));
    return new QueryThrottle(failover, settings.maxQueriesInFlight());
  }

  private static int seconds(Duration duration) {
    return (int) Math.min(Integer.MAX_VALUE, duration.toSeconds());
  }

  /** How many lookups were answered from the cache (positive or negative answers) since this resolver was built. */
  public long cacheHits() {
    return cache == null ? 0 : cache.hits();
  }

  @Override
  public CompletionStage<MailRoute> resolve(String asciiDomain) {
    Name domain;
    try {
      domain = absoluteName(asciiDomain);
    } catch (TextParseException | RuntimeException e) {
      return CompletableFuture.completedFuture(
          new MailRoute.NoSuchDomain("'" + asciiDomain + "' is not a valid DNS name: " + e.getMessage()));
    }
    try {
      return lookup(domain, Type.MX)
          .thenCompose(answer -> routeFor(domain, answer))
          .exceptionally(failure -> new MailRoute.LookupFailed("resolving " + asciiDomain + " failed: " + failure));
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(
          new MailRoute.LookupFailed("resolving " + asciiDomain + " failed: " + e));
    }
  }

  private static Name absoluteName(String asciiDomain) throws TextParseException {
    Objects.requireNonNull(asciiDomain, "asciiDomain");
    String text = asciiDomain.endsWith(".") ? asciiDomain : asciiDomain + ".";
    Name name = Name.fromString(text);
    if (name.labels() < 2) {
      throw new TextParseException("empty name");
    }
    return name;
  }

  private CompletionStage<MailRoute> routeFor(Name domain, Answer answer) {
    if (answer instanceof Answer.Records) {
      List<MXRecord> mx = ((Answer.Records) answer).of(MXRecord.class);
      return routeFromMx(domain, mx);
    }
    if (answer instanceof Answer.Absent) {
      Answer.Absent absent = (Answer.Absent) answer;
      if (absent.nxdomain()) {
        return CompletableFuture.completedFuture(new MailRoute.NoSuchDomain(absent.detail()));
      }
      return implicitMx(domain);
    }
    return CompletableFuture.completedFuture(new MailRoute.LookupFailed(((Answer.Failed) answer).detail()));
  }

  private CompletionStage<MailRoute> routeFromMx(Name domain, List<MXRecord> records) {
    if (records.isEmpty()) {
      return implicitMx(domain);
    }
    if (records.size() == 1 && records.get(0).getPriority() == 0 && records.get(0).getTarget().equals(Name.root)) {
      return CompletableFuture.completedFuture(new MailRoute.NullMx());
    }
    List<MXRecord> exchangers = ordered(records);
    if (exchangers.isEmpty()) {
      return CompletableFuture.completedFuture(
          new MailRoute.NoMailServer(text(domain) + " has only '.' as MX target"));
    }
    List<CompletableFuture<Answer>> lookups = new ArrayList<>(exchangers.size());
    for (MXRecord mx : exchangers) {
      lookups.add(addressesOf(mx.getTarget()).toCompletableFuture());
    }
    return CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new))
        .thenApply(done -> routeFromHosts(domain, exchangers, lookups));
  }

  /** Drops '.' targets and duplicate hosts, sorts by preference and shuffles hosts of equal preference. */
  private List<MXRecord> ordered(List<MXRecord> records) {
    Map<Name, MXRecord> byHost = new LinkedHashMap<>();
    for (MXRecord mx : records) {
      if (mx.getTarget().equals(Name.root)) {
        continue; // a null MX beside real ones: ignored (see class comment)
      }
      byHost.merge(mx.getTarget(), mx, (a, b) -> a.getPriority() <= b.getPriority() ? a : b);
    }
    List<MXRecord> hosts = new ArrayList<>(byHost.values());
    // dnsjava may hand out records in cache order; start from a stable order so a seeded random gives one result.
    hosts.sort(Comparator.comparingInt(MXRecord::getPriority).thenComparing(MXRecord::getTarget));
    int start = 0;
    while (start < hosts.size()) {
      int end = start;
      while (end < hosts.size() && hosts.get(end).getPriority() == hosts.get(start).getPriority()) {
        end++;
      }
      shuffle(hosts.subList(start, end));
      start = end;
    }
    return hosts;
  }

  private void shuffle(List<MXRecord> equals) {
    // RandomGenerator implementations need not be thread-safe; lookups complete on many threads.
    synchronized (random) {
      for (int i = equals.size() - 1; i > 0; i--) {
        Collections.swap(equals, i, random.nextInt(i + 1));
      }
    }
  }

  private MailRoute routeFromHosts(Name domain, List<MXRecord> exchangers, List<CompletableFuture<Answer>> lookups) {
    List<MxHost> hosts = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    List<String> absences = new ArrayList<>();
    for (int i = 0; i < exchangers.size(); i++) {
      MXRecord mx = exchangers.get(i);
      Answer answer = lookups.get(i).join();
      if (answer instanceof Answer.Addresses) {
        hosts.add(new MxHost(text(mx.getTarget()), mx.getPriority(), ((Answer.Addresses) answer).addresses(), false));
      } else if (answer instanceof Answer.Failed) {
        failures.add(((Answer.Failed) answer).detail());
      } else {
        absences.add(((Answer.Absent) answer).detail());
      }
    }
    if (!hosts.isEmpty()) {
      return new MailRoute.Exchangers(hosts);
    }
    if (!failures.isEmpty()) {
      return new MailRoute.LookupFailed(
          "no MX host of " + text(domain) + " resolved: " + String.join("; ", failures)
              + (absences.isEmpty() ? "" : "; " + String.join("; ", absences)));
    }
    return new MailRoute.NoMailServer("no MX host of " + text(domain) + " has an address: " + String.join("; ", absences));
  }

  private CompletionStage<MailRoute> implicitMx(Name domain) {
    return addressesOf(domain)
        .thenApply(
            answer -> {
              if (answer instanceof Answer.Addresses) {
                return new MailRoute.Exchangers(
                    List.of(new MxHost(text(domain), 0, ((Answer.Addresses) answer).addresses(), true)));
              }
              if (answer instanceof Answer.Failed) {
                return new MailRoute.LookupFailed(
                    text(domain) + " has no MX; its address lookup failed: " + ((Answer.Failed) answer).detail());
              }
              return new MailRoute.NoMailServer(text(domain) + " has no MX and no A/AAAA records");
            });
  }

  /** A and AAAA of a host, both asked at once; addresses if either has some. */
  private CompletionStage<Answer> addressesOf(Name host) {
    CompletableFuture<Answer> v4 = lookup(host, Type.A).toCompletableFuture();
    CompletableFuture<Answer> v6 = lookup(host, Type.AAAA).toCompletableFuture();
    return v4.thenCombine(
        v6,
        (a, aaaa) -> {
          List<InetAddress> addresses = new ArrayList<>();
          if (a instanceof Answer.Records) {
            ((Answer.Records) a).of(ARecord.class).forEach(r -> addresses.add(r.getAddress()));
          }
          if (aaaa instanceof Answer.Records) {
            ((Answer.Records) aaaa).of(AAAARecord.class).forEach(r -> addresses.add(r.getAddress()));
          }
          if (!addresses.isEmpty()) {
            return new Answer.Addresses(addresses.stream().distinct().collect(Collectors.toList()));
          }
          if (a instanceof Answer.Failed) {
            return a;
          }
          if (aaaa instanceof Answer.Failed) {
            return aaaa;
          }
          boolean nxdomain = a instanceof Answer.Absent && ((Answer.Absent) a).nxdomain();
          return new Answer.Absent(
              nxdomain, text(host) + (nxdomain ? ": NXDOMAIN" : ": no A/AAAA records"));
        });
  }

  /** One question to DNS, its outcome as a value: the stage never completes exceptionally. */
  private CompletionStage<Answer> lookup(Name name, int type) {
    String question = text(name) + " " + Type.string(type);
    CompletableFuture<Answer> mine = new CompletableFuture<>();
    CompletableFuture<Answer> shared = asking.putIfAbsent(question, mine);
    if (shared != null) {
      return shared;
    }
    ask(name, type, question)
        .whenComplete(
            (answer, failure) -> {
              asking.remove(question, mine);
              mine.complete(failure == null ? answer : failureAnswer(question, unwrap(failure)));
            });
    return mine;
  }

  private CompletionStage<Answer> ask(Name name, int type, String question) {
    CompletionStage<Answer> asked;
    try {
      asked =
          session
              .lookupAsync(name, type)
              .thenApply(
                  result ->
                      result.getRecords().stream().anyMatch(r -> r.getType() == type)
                          ? new Answer.Records(result.getRecords())
                          : new Answer.Absent(false, question + ": no data"));
    } catch (RuntimeException e) {
      asked = CompletableFuture.failedFuture(e);
    }
    return asked.exceptionally(failure -> failureAnswer(question, unwrap(failure)));
  }

  private Answer failureAnswer(String question, Throwable cause) {
    if (cause instanceof NoSuchDomainException) {
      Name missing = ((NoSuchDomainException) cause).getName();
      String where = missing == null || question.startsWith(text(missing) + " ") ? "" : " (at " + text(missing) + ")";
      return new Answer.Absent(true, question + ": NXDOMAIN" + where);
    }
    if (cause instanceof NoSuchRRSetException) {
      return new Answer.Absent(false, question + ": no data");
    }
    if (cause instanceof RedirectLoopException) {
      return new Answer.Failed(question + ": CNAME loop");
    }
    if (cause instanceof RedirectOverflowException) {
      return new Answer.Failed(question + ": CNAME chain longer than " + maxCnameChain);
    }
    if (cause instanceof DnsQueryFailure) {
      return new Answer.Failed(cause.getMessage());
    }
    return new Answer.Failed(
        question + ": " + cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : " " + cause.getMessage()));
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static String text(Name name) {
    return name.canonicalize().toString(true);
  }

  /** What one question (or the pair A + AAAA) came to. */
  private sealed interface Answer {
    /** Records of the asked type (after CNAMEs). */
    record Records(List<Record> records) implements Answer {
      public Records {
        records = List.copyOf(records);
      }

      <T extends Record> List<T> of(Class<T> type) {
        return records.stream().filter(type::isInstance).map(type::cast).collect(Collectors.toList());
      }
    }

    /** Addresses of a host, IPv4 first. */
    record Addresses(List<InetAddress> addresses) implements Answer {
      public Addresses {
        addresses = List.copyOf(addresses);
      }
    }

    /** The name does not exist (NXDOMAIN) or has no records of the type. */
    record Absent(boolean nxdomain, String detail) implements Answer {}

    /** No answer could be had: SERVFAIL, REFUSED, timeout, CNAME loop. */
    record Failed(String detail) implements Answer {}
  }
}
