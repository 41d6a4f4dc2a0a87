package io.mailprobe.jobs.verify;

/** How a domain's mail servers have been treating us: backoff after rate limits, counts of blocks and timeouts. */
public final class DomainHealth {

  /** No probe of the domain before this time (after 421 / rate-limit replies). */
  public long backoffUntilMs;
  public long blocked;
  public long timeouts;
  public long rateLimited;

  public DomainHealth() {}
}
