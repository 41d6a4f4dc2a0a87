package io.mailprobe.pipeline.intel;

import io.mailprobe.pipeline.address.EmailAddress;

/** Domains of free consumer mailbox providers (gmail.com, gmx.de, ...), matched exactly: {@code flags.free_provider}. */
public final class FreeProviders implements ReferenceList {

  private final DomainSet domains;

  private FreeProviders(DomainSet domains) {
    this.domains = domains;
  }

  /** Reads a list of one domain per line. */
  public static FreeProviders load(ListLocation location) {
    return new FreeProviders(DomainSet.load(location));
  }

  /** True when the lower-case A-label domain is listed; a subdomain is not a free mailbox, so no parent match. */
  public boolean isFreeProvider(String asciiDomain) {
    return domains.contains(asciiDomain);
  }

  public boolean isFreeProvider(EmailAddress address) {
    return isFreeProvider(address.domain());
  }

  public int size() {
    return domains.size();
  }

  @Override
  public ListProvenance provenance() {
    return domains.provenance();
  }
}
