package io.mailprobe.pipeline.intel;

import io.mailprobe.pipeline.address.EmailAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Suggests a popular domain for a near miss ({@code gmial.com} to {@code gmail.com}, {@code gmail.con} to
 * {@code gmail.com}) and a common TLD for a TLD that does not exist ({@code acme.cmo} to {@code acme.com}).
 *
 * <p>Conservative on purpose, since a suggestion is shown to people and a near miss may be a real company's
 * domain: never for a popular or known free-provider domain; never in place of a TLD that is delegated
 * ({@code gmail.co} stays alone: .co is real); at most one edit in the name, two when the popular name has 8 or more
 * characters, none when it has fewer than 5 ({@code me}, {@code aol}, {@code gmx} have too many real neighbours).
 * A suggestion only fills {@code suggestion}; it never changes a status.
 */
public final class TypoSuggester implements ReferenceList {

  /** TLDs a mistyped, non-existent TLD is corrected to, in order of preference. */
  private static final List<String> COMMON_TLDS = List.of("com", "net", "org");

  private final ListProvenance provenance;
  private final List<Target> targets;
  private final Set<String> targetNames;
  private final TopLevelDomains tlds;
  private final FreeProviders knownDomains;
  // Answers by domain: an event stream repeats its domains, and the search below compares every popular domain.
  private final ConcurrentHashMap<String, Optional<String>> answers = new ConcurrentHashMap<>();

  /** Domains whose answer is remembered at most; past it the memory starts over. */
  static final int MEMORY_LIMIT = 65_536;

  /** A popular domain split at its last dot. */
  private record Target(String domain, String name, String tld) {}

  private TypoSuggester(
      ListProvenance provenance, List<Target> targets, TopLevelDomains tlds, FreeProviders knownDomains) {
    this.provenance = provenance;
    this.targets = List.copyOf(targets);
    Set<String> names = new HashSet<>();
    targets.forEach(t -> names.add(t.domain()));
    this.targetNames = Set.copyOf(names);
    this.tlds = tlds;
    this.knownDomains = knownDomains;
  }

  /**
   * Reads the popular domains (most used first: the order breaks ties).
   *
   * @param tlds delegated TLDs, never replaced by a suggestion
   * @param knownDomains real mailbox domains that are never "corrected"
   */
  public static TypoSuggester load(ListLocation popularDomains, TopLevelDomains tlds, FreeProviders knownDomains) {
    ListFile file = ListFile.read(popularDomains);
    List<Target> targets = new ArrayList<>();
    for (ListFile.Line line : file.lines()) {
      String domain = file.domain(line);
      int dot = domain.lastIndexOf('.');
      targets.add(new Target(domain, domain.substring(0, dot), domain.substring(dot + 1)));
    }
    return new TypoSuggester(file.provenance(), targets, tlds, knownDomains);
  }

  /** The full suggested domain for a lower-case A-label domain, or empty. */
  public Optional<String> suggest(String asciiDomain) {
    Optional<String> known = answers.get(asciiDomain);
    if (known != null) {
      return known;
    }
    Optional<String> answer = search(asciiDomain);
    if (answers.size() >= MEMORY_LIMIT) {
      answers.clear();
    }
    answers.put(asciiDomain, answer);
    return answer;
  }

  /** Domains whose answer is remembered now (for tests). */
  int remembered() {
    return answers.size();
  }

  private Optional<String> search(String asciiDomain) {
    if (targetNames.contains(asciiDomain) || knownDomains.isFreeProvider(asciiDomain)) {
      return Optional.empty();
    }
    int dot = asciiDomain.lastIndexOf('.');
    if (dot <= 0 || dot == asciiDomain.length() - 1) {
      return Optional.empty();
    }
    String name = asciiDomain.substring(0, dot);
    String tld = asciiDomain.substring(dot + 1);
    boolean realTld = tlds.isDelegated(tld);

    Target best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (Target target : targets) {
      int nameLimit = target.name().length() >= 8 ? 2 : target.name().length() >= 5 ? 1 : 0;
      int total = Math.max(1, nameLimit);
      int tldDistance = 0;
      if (!tld.equals(target.tld())) {
        if (realTld) {
          continue;
        }
        tldDistance = EditDistance.between(tld, target.tld(), 1);
        if (tldDistance > 1) {
          continue;
        }
      }
      int nameDistance = EditDistance.between(name, target.name(), nameLimit);
      if (nameDistance > nameLimit) {
        continue;
      }
      int distance = nameDistance + tldDistance;
      if (distance <= total && distance < bestDistance) {
        best = target;
        bestDistance = distance;
      }
    }
    if (best != null) {
      return Optional.of(best.domain());
    }
    if (!realTld) {
      for (String common : COMMON_TLDS) {
        if (EditDistance.between(tld, common, 1) <= 1) {
          return Optional.of(name + "." + common);
        }
      }
    }
    return Optional.empty();
  }

  public Optional<String> suggest(EmailAddress address) {
    return suggest(address.domain());
  }

  @Override
  public ListProvenance provenance() {
    return provenance;
  }
}
