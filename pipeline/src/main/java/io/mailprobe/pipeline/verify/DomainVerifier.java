package io.mailprobe.pipeline.verify;

import io.mailprobe.pipeline.dns.MailRoute;
import io.mailprobe.pipeline.dns.MxHost;
import io.mailprobe.pipeline.dns.MxResolver;
import io.mailprobe.pipeline.intel.ProviderRule;
import io.mailprobe.pipeline.intel.ProviderRules;
import io.mailprobe.pipeline.smtp.ProbeRequest;
import io.mailprobe.pipeline.smtp.RcptOutcome;
import io.mailprobe.pipeline.smtp.RecipientFeed;
import io.mailprobe.pipeline.smtp.SmtpProber;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.random.RandomGenerator;

/**
 * Verifies a batch of addresses of one domain in as few SMTP sessions as the rules allow: one DNS lookup, then one
 * probe that asks every distinct recipient (RSET between batches) and, when the domain's catch-all status is not
 * known, one random local part after them. The stage always completes normally.
 */
public final class DomainVerifier {

  private static final char[] PROBE_ALPHABET = "abcdefghijkmnopqrstuvwxyz23456789".toCharArray();

  private final MxResolver resolver;
  private final SmtpProber prober;
  private final ProviderRules providers;
  private final VerdictRules rules;
  private final int recipientsPerSession;
  private final boolean catchAllProbe;
  private final Clock clock;
  private final RandomGenerator random;

  public DomainVerifier(
      MxResolver resolver,
      SmtpProber prober,
      ProviderRules providers,
      VerdictRules rules,
      int recipientsPerSession,
      boolean catchAllProbe,
      Clock clock,
      RandomGenerator random) {
    this.resolver = resolver;
    this.prober = prober;
    this.providers = providers;
    this.rules = rules;
    this.recipientsPerSession = recipientsPerSession;
    this.catchAllProbe = catchAllProbe;
    this.clock = clock;
    this.random = random;
  }

  /**
   * Verifies {@code batch}, all of whose addresses belong to {@code domain} (a lower-case A-label), knowing the
   * domain's catch-all status so far.
   */
  public CompletionStage<DomainReport> verify(String domain, List<Pending> batch, CatchAllStatus knownCatchAll) {
    return verify(domain, batch, knownCatchAll, PendingFeed.NONE);
  }

  /**
   * As {@link #verify(String, List, CatchAllStatus)}, and while the probe runs, addresses from {@code feed} join
   * its session; the report's decisions cover {@code batch} and then every fed address, in the order fed.
   */
  public CompletionStage<DomainReport> verify(
      String domain, List<Pending> batch, CatchAllStatus knownCatchAll, PendingFeed feed) {
    requireDomain(domain, batch);
    Instant started = clock.instant();
    return resolver
        .resolve(domain)
        .thenCompose(
            route -> {
              if (route instanceof MailRoute.Exchangers exchangers) {
                return probe(domain, exchangers.hosts(), batch, knownCatchAll, feed, started);
              }
              Instant now = clock.instant();
              List<Decision> decisions = new ArrayList<>(batch.size());
              for (Pending p : batch) {
                decisions.add(rules.forRoute(p.address(), route, p.attempt(), started, now));
              }
              return CompletableFuture.completedFuture(
                  new DomainReport(domain, decisions, knownCatchAll, null, 0));
            });
  }

  private CompletionStage<DomainReport> probe(
      String domain,
      List<MxHost> hosts,
      List<Pending> batch,
      CatchAllStatus knownCatchAll,
      PendingFeed feed,
      Instant started) {
    ProviderRule provider =
        providers.match(domain, hosts.stream().map(MxHost::name).toList()).orElse(null);
    int perSession = recipientsPerSession;
    boolean askCatchAll = catchAllProbe && knownCatchAll == CatchAllStatus.UNKNOWN;
    if (provider != null) {
      if (provider.recipientsPerSession() != null) {
        perSession = Math.min(perSession, provider.recipientsPerSession());
      }
      askCatchAll &= !provider.skipCatchAllProbe();
    }
    // The same address twice in a batch is asked once. Fed addresses join `all`; the feed's stages complete before
    // the probe does, so the report below sees every one of them.
    List<Pending> all = new ArrayList<>(batch);
    Set<String> asked = new LinkedHashSet<>();
    for (Pending p : batch) {
      asked.add(p.address().normalized());
    }
    RecipientFeed recipientFeed =
        () ->
            feed.more()
                .thenApply(
                    more -> {
                      requireDomain(domain, more); // before any joins: a refused list ends the feed whole
                      List<String> fresh = new ArrayList<>();
                      for (Pending p : more) {
                        all.add(p);
                        if (asked.add(p.address().normalized())) {
                          fresh.add(p.address().normalized());
                        }
                      }
                      return fresh;
                    });
    String probeAddress = askCatchAll ? randomLocalPart() + "@" + domain : null;
    ProbeRequest request =
        new ProbeRequest(domain, hosts, List.copyOf(asked), probeAddress, perSession, recipientFeed);
    String providerName = provider == null ? null : provider.name();
    return prober
        .probe(request)
        .thenApply(
            result -> {
              CatchAllStatus catchAll = knownCatchAll;
              if (result.catchAllProbe() != null) {
                CatchAllStatus found = CatchAllStatus.fromProbe(result.catchAllProbe());
                if (found != CatchAllStatus.UNKNOWN) {
                  catchAll = found;
                }
              }
              Instant now = clock.instant();
              Map<String, RcptOutcome> byRecipient = new HashMap<>();
              for (RcptOutcome o : result.outcomes()) {
                byRecipient.put(o.recipient(), o);
              }
              List<Decision> decisions = new ArrayList<>(all.size());
              for (Pending p : all) {
                RcptOutcome outcome = byRecipient.get(p.address().normalized());
                decisions.add(
                    rules.forOutcome(p.address(), outcome, catchAll, provider, p.attempt(), started, now));
              }
              return new DomainReport(domain, decisions, catchAll, providerName, result.sessions());
            });
  }

  private static void requireDomain(String domain, List<Pending> addresses) {
    for (Pending p : addresses) {
      if (!p.address().domain().equals(domain)) {
        throw new IllegalArgumentException(p.address().normalized() + " is not an address of " + domain);
      }
    }
  }

  private String randomLocalPart() {
    char[] out = new char[16];
    for (int i = 0; i < out.length; i++) {
      out[i] = PROBE_ALPHABET[random.nextInt(PROBE_ALPHABET.length)];
    }
    return new String(out);
  }
}
