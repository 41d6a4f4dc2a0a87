package io.mailprobe.pipeline.intel;

import java.util.HashSet;
import java.util.Set;

/** A set of domain names read from a list file, matched exactly or together with their subdomains. */
final class DomainSet {

  private final ListProvenance provenance;
  private final Set<String> domains;

  private DomainSet(ListProvenance provenance, Set<String> domains) {
    this.provenance = provenance;
    this.domains = Set.copyOf(domains);
  }

  static DomainSet load(ListLocation location) {
    ListFile file = ListFile.read(location);
    Set<String> domains = new HashSet<>();
    for (ListFile.Line line : file.lines()) {
      domains.add(file.domain(line));
    }
    return new DomainSet(file.provenance(), domains);
  }

  boolean contains(String asciiDomain) {
    return domains.contains(asciiDomain);
  }

  /** True for a listed domain or any subdomain of one (x.mailinator.com). */
  boolean containsOrIsUnder(String asciiDomain) {
    for (String d = asciiDomain; d != null; d = DomainNames.parent(d)) {
      if (domains.contains(d)) {
        return true;
      }
    }
    return false;
  }

  int size() {
    return domains.size();
  }

  ListProvenance provenance() {
    return provenance;
  }
}
