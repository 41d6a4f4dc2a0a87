package io.mailprobe.pipeline.intel;

import io.mailprobe.pipeline.address.EmailAddress;

/** Throw-away mailbox domains (mailinator.com, ...), subdomains included: {@code flags.disposable}. */
public final class DisposableDomains implements ReferenceList {

  private final DomainSet domains;

  private DisposableDomains(DomainSet domains) {
    this.domains = domains;
  }

  /** Reads a list of one domain per line. */
  public static DisposableDomains load(ListLocation location) {
    return new DisposableDomains(DomainSet.load(location));
  }

  /** True when the lower-case A-label domain, or a parent of it, is listed. */
  public boolean isDisposable(String asciiDomain) {
    return domains.containsOrIsUnder(asciiDomain);
  }

  public boolean isDisposable(EmailAddress address) {
    return isDisposable(address.domain());
  }

  public int size() {
    return domains.size();
  }

  @Override
  public ListProvenance provenance() {
    return domains.provenance();
  }
}
