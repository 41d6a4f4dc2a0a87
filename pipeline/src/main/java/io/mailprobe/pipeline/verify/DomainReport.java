package io.mailprobe.pipeline.verify;

import java.util.List;

/**
 * What one round of verification found for a domain: a decision per pending address (in the order given), the
 * domain's catch-all status after this round, the provider that matched (or null), and how many SMTP sessions it
 * took.
 */
public record DomainReport(
    String domain, List<Decision> decisions, CatchAllStatus catchAll, String provider, int sessions) {
  public DomainReport {
    decisions = List.copyOf(decisions);
  }
}
