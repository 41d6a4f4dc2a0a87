package io.mailprobe.pipeline.intel;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Provider rules as data: sections {@code [name]} of {@code key = value} lines (format in provider-rules.txt).
 * A rule is found by the MX hosts first (the longest matching suffix of the first MX host that matches any), then
 * by the address's domain.
 */
public final class ProviderRules implements ReferenceList {

  private final ListProvenance provenance;
  private final List<ProviderRule> rules;
  private final Map<String, ProviderRule> byMxSuffix;
  private final Map<String, ProviderRule> byDomain;
  private final Map<String, ProviderRule> byWildcardLabel;

  private ProviderRules(ListProvenance provenance, List<ProviderRule> rules) {
    this.provenance = provenance;
    this.rules = List.copyOf(rules);
    Map<String, ProviderRule> mx = new HashMap<>();
    Map<String, ProviderRule> domains = new HashMap<>();
    Map<String, ProviderRule> wildcards = new HashMap<>();
    for (ProviderRule rule : rules) {
      rule.mxSuffixes().forEach(s -> mx.putIfAbsent(s, rule));
      for (String d : rule.domains()) {
        if (d.endsWith(".*")) {
          wildcards.putIfAbsent(d.substring(0, d.length() - 2), rule);
        } else {
          domains.putIfAbsent(d, rule);
        }
      }
    }
    this.byMxSuffix = Map.copyOf(mx);
    this.byDomain = Map.copyOf(domains);
    this.byWildcardLabel = Map.copyOf(wildcards);
  }

  /** Reads a provider-rules file. */
  public static ProviderRules load(ListLocation location) {
    ListFile file = ListFile.read(location);
    Map<String, Section> sections = new LinkedHashMap<>();
    Section current = null;
    for (ListFile.Line line : file.lines()) {
      String text = line.text();
      if (text.startsWith("[")) {
        if (!text.endsWith("]") || text.length() < 3) {
          throw file.problem(line, "a section header looks like [name], not " + text);
        }
        String name = text.substring(1, text.length() - 1).strip().toLowerCase(Locale.ROOT);
        if (sections.containsKey(name)) {
          throw file.problem(line, "provider [" + name + "] appears twice");
        }
        current = new Section(name, line);
        sections.put(name, current);
        continue;
      }
      int eq = text.indexOf('=');
      if (eq < 0) {
        throw file.problem(line, "expected 'key = value', got '" + text + "'");
      }
      if (current == null) {
        throw file.problem(line, "'" + text + "' comes before the first [provider] section");
      }
      current.set(file, line, text.substring(0, eq).strip().toLowerCase(Locale.ROOT), text.substring(eq + 1).strip());
    }
    List<ProviderRule> rules = new ArrayList<>();
    for (Section section : sections.values()) {
      if (section.mx.isEmpty() && section.domains.isEmpty()) {
        throw file.problem(section.header, "provider [" + section.name + "] has neither mx nor domains");
      }
      rules.add(section.toRule());
    }
    return new ProviderRules(file.provenance(), rules);
  }

  /** The keys of one section while it is read. */
  private static final class Section {
    final String name;
    final ListFile.Line header;
    List<String> mx = List.of();
    List<String> domains = List.of();
    Integer recipientsPerSession;
    boolean skipCatchAllProbe;
    boolean acceptsUnverifiable;
    boolean acceptAllIsCatchAll;
    Duration connectTimeout;
    Duration commandTimeout;

    Section(String name, ListFile.Line header) {
      this.name = name;
      this.header = header;
    }

    void set(ListFile file, ListFile.Line line, String key, String value) {
      switch (key) {
        case "mx" -> mx = domainList(file, line, value, false);
        case "domains" -> domains = domainList(file, line, value, true);
        case "recipients-per-session" -> recipientsPerSession = positive(file, line, value);
        case "skip-catch-all-probe" -> skipCatchAllProbe = bool(file, line, value);
        case "accepts-unverifiable" -> acceptsUnverifiable = bool(file, line, value);
        case "accept-all-is-catch-all" -> acceptAllIsCatchAll = bool(file, line, value);
        case "connect-timeout" -> connectTimeout = duration(file, line, value);
        case "command-timeout" -> commandTimeout = duration(file, line, value);
        default -> throw file.problem(line, "unknown key '" + key + "' in [" + name + "]");
      }
    }

    ProviderRule toRule() {
      return new ProviderRule(
          name, mx, domains, recipientsPerSession, skipCatchAllProbe, acceptsUnverifiable, acceptAllIsCatchAll,
          connectTimeout, commandTimeout);
    }
  }

  private static List<String> domainList(ListFile file, ListFile.Line line, String value, boolean wildcards) {
    List<String> out = new ArrayList<>();
    for (String item : value.split(",")) {
      String d = item.strip().toLowerCase(Locale.ROOT);
      if (wildcards && d.endsWith(".*")) {
        String label = d.substring(0, d.length() - 2);
        if (label.isEmpty() || label.indexOf('.') >= 0 || DomainNames.problem(label + ".x") != null) {
          throw file.problem(line, "'" + item.strip() + "' is not a wildcard like yahoo.*");
        }
        out.add(d);
      } else {
        out.add(file.domain(line, d));
      }
    }
    return out;
  }

  private static Integer positive(ListFile file, ListFile.Line line, String value) {
    try {
      int n = Integer.parseInt(value);
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw file.problem(line, "'" + value + "' is not a positive whole number");
  }

  private static boolean bool(ListFile file, ListFile.Line line, String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw file.problem(line, "'" + value + "' is not true or false");
    };
  }

  private static Duration duration(ListFile file, ListFile.Line line, String value) {
    try {
      Duration d = Duration.parse(value);
      if (!d.isNegative() && !d.isZero()) {
        return d;
      }
    } catch (DateTimeParseException e) {
      // reported below
    }
    throw file.problem(line, "'" + value + "' is not a positive ISO-8601 duration such as PT20S");
  }

  /**
   * The rule for a domain whose exchangers are {@code mxHostNames} (in preference order; may be empty). An MX match
   * wins over a domain match; names are compared ignoring case and a trailing dot, suffixes on label boundaries.
   */
  public Optional<ProviderRule> match(String asciiDomain, List<String> mxHostNames) {
    for (String host : mxHostNames) {
      ProviderRule rule = bySuffix(normalize(host));
      if (rule != null) {
        return Optional.of(rule);
      }
    }
    String domain = normalize(asciiDomain);
    ProviderRule rule = byDomain.get(domain);
    if (rule == null && !byWildcardLabel.isEmpty()) {
      int dot = domain.indexOf('.');
      if (dot > 0) {
        int moreLabels = (int) domain.chars().filter(c -> c == '.').count();
        if (moreLabels <= 2) {
          rule = byWildcardLabel.get(domain.substring(0, dot));
        }
      }
    }
    return Optional.ofNullable(rule);
  }

  /** Longest suffix first: walk from the full host name up to its parents. */
  private ProviderRule bySuffix(String host) {
    for (String d = host; d != null; d = DomainNames.parent(d)) {
      ProviderRule rule = byMxSuffix.get(d);
      if (rule != null) {
        return rule;
      }
    }
    return null;
  }

  private static String normalize(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
  }

  /** All rules in file order. */
  public List<ProviderRule> rules() {
    return rules;
  }

  /** The rule with this name, if any. */
  public Optional<ProviderRule> named(String name) {
    return rules.stream().filter(r -> r.name().equals(name)).findFirst();
  }

  @Override
  public ListProvenance provenance() {
    return provenance;
  }
}
