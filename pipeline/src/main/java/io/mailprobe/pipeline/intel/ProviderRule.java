package io.mailprobe.pipeline.intel;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How to treat one mailbox provider (DESIGN §4).
 *
 * @param name the provider name reported in verdicts ("google", "microsoft", ...)
 * @param mxSuffixes MX host name suffixes that identify the provider (matched on a label boundary)
 * @param domains mail domains of the provider; "yahoo.*" stands for "yahoo" followed by one or two labels
 * @param recipientsPerSession RCPT TO per session, or null for the configured default
 * @param skipCatchAllProbe true when a catch-all probe tells nothing here
 * @param acceptsUnverifiable true when RCPT answers cannot be trusted (accept all, bounce after DATA): never
 *     deliverable
 * @param acceptAllIsCatchAll true when accepting a random local part means a catch-all tenant
 * @param connectTimeout connect timeout override, or null
 * @param commandTimeout per-command timeout override, or null
 */
public record ProviderRule(
    String name,
    List<String> mxSuffixes,
    List<String> domains,
    Integer recipientsPerSession,
    boolean skipCatchAllProbe,
    boolean acceptsUnverifiable,
    boolean acceptAllIsCatchAll,
    Duration connectTimeout,
    Duration commandTimeout) {

  public ProviderRule {
    Objects.requireNonNull(name, "name");
    mxSuffixes = List.copyOf(mxSuffixes);
    domains = List.copyOf(domains);
    if (recipientsPerSession != null && recipientsPerSession < 1) {
      throw new IllegalArgumentException("recipientsPerSession must be >= 1: " + recipientsPerSession);
    }
  }
}
