package io.mailprobe.pipeline.intel;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/** The top-level domains delegated in the DNS root, so that a typo suggestion never replaces a real TLD. */
public final class TopLevelDomains implements ReferenceList {

  private final ListProvenance provenance;
  private final Set<String> tlds;

  private TopLevelDomains(ListProvenance provenance, Set<String> tlds) {
    this.provenance = provenance;
    this.tlds = Set.copyOf(tlds);
  }

  /** Reads a list of one TLD per line. */
  public static TopLevelDomains load(ListLocation location) {
    ListFile file = ListFile.read(location);
    Set<String> tlds = new HashSet<>();
    for (ListFile.Line line : file.lines()) {
      String tld = line.text().toLowerCase(Locale.ROOT);
      if (!tld.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
        throw file.problem(line, "'" + line.text() + "' is not a top-level domain label");
      }
      tlds.add(tld);
    }
    return new TopLevelDomains(file.provenance(), tlds);
  }

  /** True for a delegated TLD; an IDN TLD ("xn--...") counts as delegated, since the list holds ASCII TLDs only. */
  public boolean isDelegated(String tld) {
    return tlds.contains(tld) || tld.startsWith("xn--");
  }

  public int size() {
    return tlds.size();
  }

  @Override
  public ListProvenance provenance() {
    return provenance;
  }
}
