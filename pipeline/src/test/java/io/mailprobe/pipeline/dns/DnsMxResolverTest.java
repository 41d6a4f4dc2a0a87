package io.mailprobe.pipeline.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailprobe.testkit.dns.AuthoritativeDnsServer;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DnsMxResolver against a real DNS server on loopback. Every test uses its own names, so one server serves all of
 * them and query counts stay per test. The addresses in the zone are data only: nothing here dials them.
 */
class DnsMxResolverTest {
  private static final Duration QUERY_TIMEOUT = Duration.ofMillis(300);

  private static AuthoritativeDnsServer dns;

  @BeforeAll
  static void startServer() {
    dns = new AuthoritativeDnsServer().start();
  }

  @AfterAll
  static void stopServer() {
    dns.close();
  }

  private static DnsSettings settings() {
    return DnsSettings.defaults()
        .withServers(List.of(dns.socketAddress()))
        .withTimeout(QUERY_TIMEOUT, 1);
  }

  private static DnsMxResolver resolver() {
    return new DnsMxResolver(settings(), new Random(1));
  }

  private static MailRoute resolve(DnsMxResolver resolver, String domain) {
    return resolver.resolve(domain).toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
  }

  private static List<MxHost> hosts(MailRoute route) {
    assertThat(route).isInstanceOf(MailRoute.Exchangers.class);
    return ((MailRoute.Exchangers) route).hosts();
  }

  private static List<String> names(MailRoute route) {
    return hosts(route).stream().map(MxHost::name).collect(Collectors.toList());
  }

  private static InetAddress ip(String literal) throws Exception {
    return InetAddress.getByName(literal); // literals only: no lookup happens
  }

  @Test
  void exchangersComeInPreferenceOrder() {
    dns.mx("order.test", 30, "mx3.order.test")
        .mx("order.test", 10, "mx1.order.test")
        .mx("order.test", 20, "mx2.order.test")
        .a("mx1.order.test", "127.0.1.1")
        .a("mx2.order.test", "127.0.1.2")
        .a("mx3.order.test", "127.0.1.3");

    MailRoute route = resolve(resolver(), "order.test");

    assertThat(names(route)).containsExactly("mx1.order.test", "mx2.order.test", "mx3.order.test");
    assertThat(hosts(route)).extracting(MxHost::preference).containsExactly(10, 20, 30);
    assertThat(hosts(route)).noneMatch(MxHost::implicit);
  }

  @Test
  void hostsOfEqualPreferenceAreShuffledByTheInjectedRandom() {
    dns.mx("equal.test", 5, "first.equal.test").a("first.equal.test", "127.0.2.1");
    for (int i = 1; i <= 4; i++) {
      dns.mx("equal.test", 10, "mx" + i + ".equal.test").a("mx" + i + ".equal.test", "127.0.2." + (10 + i));
    }

    DnsMxResolver seeded = new DnsMxResolver(settings(), new Random(7));
    DnsMxResolver sameSeed = new DnsMxResolver(settings(), new Random(7));
    List<List<String>> orders = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      List<String> order = names(resolve(seeded, "equal.test"));
      assertThat(names(resolve(sameSeed, "equal.test"))).as("same seed, same order").isEqualTo(order);
      orders.add(order);
    }

    assertThat(orders).allSatisfy(order -> assertThat(order.get(0)).isEqualTo("first.equal.test"));
    assertThat(orders)
        .allSatisfy(
            order ->
                assertThat(order.subList(1, 5))
                    .containsExactlyInAnyOrder("mx1.equal.test", "mx2.equal.test", "mx3.equal.test", "mx4.equal.test"));
    assertThat(new HashSet<>(orders)).as("distinct orders among equals").hasSizeGreaterThan(3);
  }

  @Test
  void everyHostGetsItsIpv4AndIpv6Addresses() throws Exception {
    dns.mx("dual.test", 10, "mx.dual.test")
        .aaaa("mx.dual.test", "2001:db8::25")
        .a("mx.dual.test", "127.0.3.1")
        .a("mx.dual.test", "127.0.3.2");

    List<MxHost> hosts = hosts(resolve(resolver(), "dual.test"));

    assertThat(hosts).hasSize(1);
    assertThat(hosts.get(0).addresses())
        .containsExactlyInAnyOrder(ip("127.0.3.1"), ip("127.0.3.2"), ip("2001:db8::25"));
    assertThat(hosts.get(0).addresses().get(2)).as("IPv4 first").isEqualTo(ip("2001:db8::25"));
  }

  @Test
  void ipv6OnlyHostIsAMailServer() throws Exception {
    dns.mx("six.test", 10, "mx.six.test").aaaa("mx.six.test", "2001:db8::6");

    assertThat(hosts(resolve(resolver(), "six.test")).get(0).addresses()).containsExactly(ip("2001:db8::6"));
  }

  @Test
  void mxHostThatDoesNotResolveIsSkipped() {
    dns.mx("skip.test", 10, "ghost.skip-nowhere.test")
        .mx("skip.test", 20, "nodata.skip.test")
        .txt("nodata.skip.test", "exists, but has no address")
        .mx("skip.test", 30, "mx.skip.test")
        .a("mx.skip.test", "127.0.4.1");

    assertThat(names(resolve(resolver(), "skip.test"))).containsExactly("mx.skip.test");
  }

  @Test
  void noMailServerWhenNoMxHostResolves() {
    dns.mx("dangling.test", 10, "ghost1.dangling-nowhere.test")
        .mx("dangling.test", 20, "ghost2.dangling-nowhere.test");

    MailRoute route = resolve(resolver(), "dangling.test");

    assertThat(route).isInstanceOf(MailRoute.NoMailServer.class);
    assertThat(((MailRoute.NoMailServer) route).detail())
        .contains("ghost1.dangling-nowhere.test", "ghost2.dangling-nowhere.test", "NXDOMAIN");
  }

  @Test
  void lookupFailedWhenNoMxHostResolvesAndOneFailed() {
    dns.mx("flaky.test", 10, "ghost.flaky-nowhere.test")
        .mx("flaky.test", 20, "broken.flaky.test")
        .servfail("broken.flaky.test");

    MailRoute route = resolve(resolver(), "flaky.test");

    assertThat(route).isInstanceOf(MailRoute.LookupFailed.class);
    assertThat(((MailRoute.LookupFailed) route).detail()).contains("SERVFAIL", "broken.flaky.test");
  }

  @Test
  void failingMxHostDoesNotHideAWorkingOne() {
    dns.mx("half.test", 10, "broken.half.test")
        .servfail("broken.half.test")
        .mx("half.test", 20, "mx.half.test")
        .a("mx.half.test", "127.0.5.1");

    assertThat(names(resolve(resolver(), "half.test"))).containsExactly("mx.half.test");
  }

  @Test
  void implicitMxFromARecord() throws Exception {
    dns.a("implicit4.test", "127.0.6.1");

    List<MxHost> hosts = hosts(resolve(resolver(), "implicit4.test"));

    assertThat(hosts).singleElement().satisfies(host -> {
      assertThat(host.name()).isEqualTo("implicit4.test");
      assertThat(host.implicit()).isTrue();
      assertThat(host.preference()).isZero();
    });
    assertThat(hosts.get(0).addresses()).containsExactly(ip("127.0.6.1"));
  }

  @Test
  void implicitMxFromAaaaRecordOnly() throws Exception {
    dns.aaaa("implicit6.test", "2001:db8::66");

    List<MxHost> hosts = hosts(resolve(resolver(), "implicit6.test"));

    assertThat(hosts).singleElement().satisfies(host -> {
      assertThat(host.implicit()).isTrue();
      assertThat(host.addresses()).containsExactly(ip("2001:db8::66"));
    });
  }

  @Test
  void nullMxMeansTheDomainTakesNoMail() {
    dns.nullMx("nullmx.test").a("nullmx.test", "127.0.7.1");

    assertThat(resolve(resolver(), "nullmx.test")).isEqualTo(new MailRoute.NullMx());
  }

  @Test
  void nullMxBesideRealMxIsIgnored() {
    dns.nullMx("mixed.test").mx("mixed.test", 10, "mx.mixed.test").a("mx.mixed.test", "127.0.7.2");

    assertThat(names(resolve(resolver(), "mixed.test"))).containsExactly("mx.mixed.test");
  }

  @Test
  void nxdomainIsNoSuchDomain() {
    MailRoute route = resolve(resolver(), "never-registered.test");

    assertThat(route).isInstanceOf(MailRoute.NoSuchDomain.class);
    assertThat(((MailRoute.NoSuchDomain) route).detail()).contains("never-registered.test", "NXDOMAIN");
  }

  @Test
  void domainWithoutMxAndWithoutAddressIsNoMailServer() {
    dns.txt("nodata.test", "v=spf1 -all");

    MailRoute route = resolve(resolver(), "nodata.test");

    assertThat(route).isInstanceOf(MailRoute.NoMailServer.class);
    assertThat(((MailRoute.NoMailServer) route).detail()).contains("nodata.test");
  }

  @Test
  void servfailIsLookupFailedNamingServerAndQuestion() {
    dns.servfail("servfail.test");

    MailRoute route = resolve(resolver(), "servfail.test");

    assertThat(route).isInstanceOf(MailRoute.LookupFailed.class);
    assertThat(((MailRoute.LookupFailed) route).detail())
        .isEqualTo("SERVFAIL from " + dns.serverSpec() + " for servfail.test MX");
  }

  @Test
  void refusedIsLookupFailed() {
    dns.refused("refused.test");

    MailRoute route = resolve(resolver(), "refused.test");

    assertThat(route).isInstanceOf(MailRoute.LookupFailed.class);
    assertThat(((MailRoute.LookupFailed) route).detail()).startsWith("REFUSED from " + dns.serverSpec());
  }

  @Test
  void silentServerIsLookupFailedWithinTheConfiguredTimeout() {
    dns.silent("blackhole.test");
    DnsMxResolver resolver = resolver(); // 300 ms per query, one retry

    long start = System.nanoTime();
    MailRoute route = resolve(resolver, "blackhole.test");
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

    assertThat(route).isInstanceOf(MailRoute.LookupFailed.class);
    assertThat(((MailRoute.LookupFailed) route).detail())
        .isEqualTo("no answer from " + dns.serverSpec() + " within 300 ms for blackhole.test MX");
    assertThat(elapsed).isGreaterThanOrEqualTo(QUERY_TIMEOUT.multipliedBy(2)).isLessThan(Duration.ofMillis(1500));
    assertThat(dns.queryCount("blackhole.test", "MX")).as("first try and one retry").isEqualTo(2);
  }

  @Test
  void cnameChainIsFollowed() {
    dns.cname("alias.test", "hop.alias.test")
        .cname("hop.alias.test", "target.test")
        .mx("target.test", 10, "mx.target.test")
        .cname("mx.target.test", "box.target.test")
        .a("box.target.test", "127.0.8.1");

    List<MxHost> hosts = hosts(resolve(resolver(), "alias.test"));

    assertThat(hosts).extracting(MxHost::name).containsExactly("mx.target.test");
    assertThat(hosts.get(0).addresses()).hasSize(1);
  }

  @Test
  void cnameLoopEndsAsLookupFailed() {
    dns.cname("loop1.test", "loop2.test").cname("loop2.test", "loop1.test");

    MailRoute route = resolve(resolver(), "loop1.test");

    assertThat(route).isInstanceOf(MailRoute.LookupFailed.class);
    assertThat(((MailRoute.LookupFailed) route).detail()).contains("loop1.test MX", "CNAME loop");
  }

  @Test
  void cnameChainLongerThanTheBoundEndsAsLookupFailed() {
    for (int i = 0; i < 6; i++) {
      dns.cname("c" + i + ".chain.test", "c" + (i + 1) + ".chain.test");
    }
    dns.mx("c6.chain.test", 10, "mx.chain.test").a("mx.chain.test", "127.0.9.1");
    DnsMxResolver strict = new DnsMxResolver(settings().withMaxCnameChain(3), new Random(1));
    DnsMxResolver lenient = new DnsMxResolver(settings().withMaxCnameChain(8), new Random(1));

    MailRoute route = resolve(strict, "c0.chain.test");

    assertThat(route).isInstanceOf(MailRoute.LookupFailed.class);
    assertThat(((MailRoute.LookupFailed) route).detail()).contains("CNAME chain longer than 3");
    assertThat(names(resolve(lenient, "c0.chain.test"))).containsExactly("mx.chain.test");
  }

  @Test
  void secondLookupIsAnsweredFromTheCache() {
    dns.mx("cached.test", 10, "mx.cached.test").a("mx.cached.test", "127.0.10.1");
    DnsMxResolver resolver = resolver();

    MailRoute first = resolve(resolver, "cached.test");
    long mxQueries = dns.queryCount("cached.test", "MX");
    long aQueries = dns.queryCount("mx.cached.test", "A");
    long aaaaQueries = dns.queryCount("mx.cached.test", "AAAA");
    long hitsBefore = resolver.cacheHits();
    MailRoute second = resolve(resolver, "cached.test");

    assertThat(second).isEqualTo(first);
    assertThat(mxQueries).isEqualTo(1);
    assertThat(aQueries).isEqualTo(1);
    assertThat(aaaaQueries).as("the negative AAAA answer is asked once too").isEqualTo(1);
    assertThat(dns.queryCount("cached.test", "MX")).isEqualTo(mxQueries);
    assertThat(dns.queryCount("mx.cached.test", "A")).isEqualTo(aQueries);
    assertThat(dns.queryCount("mx.cached.test", "AAAA")).isEqualTo(aaaaQueries);
    assertThat(resolver.cacheHits() - hitsBefore).isEqualTo(3);
  }

  @Test
  void domainsResolvedAtOnceShareOneQueryForTheirCommonExchanger() throws Exception {
    for (int i = 0; i < 40; i++) {
      dns.mx("d" + i + ".shared-mx.test", 10, "mx.shared-mx.test");
    }
    dns.a("mx.shared-mx.test", "127.0.10.2");
    DnsMxResolver resolver = resolver();

    List<CompletableFuture<MailRoute>> routes = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      routes.add(resolver.resolve("d" + i + ".shared-mx.test").toCompletableFuture());
    }

    for (CompletableFuture<MailRoute> route : routes) {
      assertThat(hosts(route.orTimeout(10, TimeUnit.SECONDS).join()).get(0).addresses())
          .containsExactly(ip("127.0.10.2"));
    }
    assertThat(dns.queryCount("mx.shared-mx.test", "A")).isEqualTo(1);
    assertThat(dns.queryCount("mx.shared-mx.test", "AAAA")).isEqualTo(1);
  }

  @Test
  void nxdomainIsCachedToo() {
    DnsMxResolver resolver = resolver();

    resolve(resolver, "cached-nowhere.test");
    MailRoute again = resolve(resolver, "cached-nowhere.test");

    assertThat(again).isInstanceOf(MailRoute.NoSuchDomain.class);
    assertThat(dns.queryCount("cached-nowhere.test", "MX")).isEqualTo(1);
    assertThat(resolver.cacheHits()).isEqualTo(1);
  }

  @Test
  void cachedAnswerExpiresWithItsTtl() throws Exception {
    dns.ttl(2);
    try {
      dns.mx("shortlived.test", 10, "mx.shortlived.test").a("mx.shortlived.test", "127.0.11.1");
    } finally {
      dns.ttl(300);
    }
    DnsMxResolver resolver = resolver();

    assertExpiresWithin(resolver, "shortlived.test", Duration.ofSeconds(4));
  }

  @Test
  void cacheTtlCapBoundsHowLongAnswersLive() throws Exception {
    dns.mx("capped.test", 10, "mx.capped.test").a("mx.capped.test", "127.0.12.1"); // TTL 300
    DnsMxResolver resolver =
        new DnsMxResolver(settings().withCache(100, Duration.ofSeconds(2), Duration.ofSeconds(2)), new Random(1));

    assertExpiresWithin(resolver, "capped.test", Duration.ofSeconds(4));
  }

  /**
   * Resolves once, shows the answer is cached, then re-resolves until the server is asked again. dnsjava's cache
   * has no injectable clock and counts whole seconds, so a 2 s lifetime ends 1 to 2 s after the first answer.
   */
  private static void assertExpiresWithin(DnsMxResolver resolver, String domain, Duration bound) throws Exception {
    resolve(resolver, domain);
    resolve(resolver, domain);
    assertThat(dns.queryCount(domain, "MX")).as("cached right after the first answer").isEqualTo(1);

    long start = System.nanoTime();
    long deadline = start + bound.toNanos();
    while (dns.queryCount(domain, "MX") == 1 && System.nanoTime() < deadline) {
      Thread.sleep(100);
      assertThat(hosts(resolve(resolver, domain))).hasSize(1);
    }

    assertThat(dns.queryCount(domain, "MX")).as("asked again after expiry").isEqualTo(2);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(500));
  }

  @Test
  void manyConcurrentLookupsAllComplete() {
    int domains = 500;
    for (int i = 0; i < domains; i++) {
      dns.mx("bulk" + i + ".test", 10, "mx.bulk" + i + ".test").a("mx.bulk" + i + ".test", "127.1." + (i / 250) + "." + (i % 250 + 1));
    }
    DnsMxResolver resolver = new DnsMxResolver(settings().withTimeout(Duration.ofSeconds(2), 1), new Random(1));

    List<CompletableFuture<MailRoute>> routes = new ArrayList<>();
    for (int i = 0; i < domains; i++) {
      routes.add(resolver.resolve("bulk" + i + ".test").toCompletableFuture());
    }
    CompletableFuture.allOf(routes.toArray(CompletableFuture[]::new)).orTimeout(30, TimeUnit.SECONDS).join();

    Set<String> resolved = new HashSet<>();
    for (int i = 0; i < domains; i++) {
      resolved.addAll(names(routes.get(i).join()));
    }
    assertThat(resolved).hasSize(domains).contains("mx.bulk0.test", "mx.bulk499.test");
  }

  @Test
  void queriesOverTheInFlightBoundWaitTheirTurn() {
    for (int i = 0; i < 40; i++) {
      dns.mx("queued" + i + ".test", 10, "mx.queued" + i + ".test").a("mx.queued" + i + ".test", "127.2.0." + (i + 1));
    }
    DnsMxResolver resolver = new DnsMxResolver(settings().withMaxQueriesInFlight(2), new Random(1));

    List<CompletableFuture<MailRoute>> routes = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      routes.add(resolver.resolve("queued" + i + ".test").toCompletableFuture());
    }
    CompletableFuture.allOf(routes.toArray(CompletableFuture[]::new)).orTimeout(20, TimeUnit.SECONDS).join();

    assertThat(routes).allSatisfy(r -> assertThat(r.join()).isInstanceOf(MailRoute.Exchangers.class));
  }

  @Test
  void nameThatCannotExistIsNoSuchDomainWithoutAQuery() {
    long before = dns.totalQueries();

    MailRoute route = resolve(resolver(), "a".repeat(64) + ".test");

    assertThat(route).isInstanceOf(MailRoute.NoSuchDomain.class);
    assertThat(dns.totalQueries()).isEqualTo(before);
  }

  @Test
  void unreachableResolverIsLookupFailedNotAnException() throws Exception {
    // A loopback port nobody listens on: ICMP port unreachable or silence, either way a failed lookup.
    AuthoritativeDnsServer gone = new AuthoritativeDnsServer().start();
    DnsSettings toGone = settings().withServers(List.of(gone.socketAddress()));
    gone.close();

    MailRoute route = resolve(new DnsMxResolver(toGone, new Random(1)), "anything.test");

    assertThat(route).isInstanceOf(MailRoute.LookupFailed.class);
  }
}
