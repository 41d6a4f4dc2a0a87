package io.mailprobe.pipeline.intel;

import io.mailprobe.pipeline.address.EmailAddress;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Known spam-trap addresses and trap domains (a domain entry covers its subdomains). Public trap lists do not
 * exist; the bundled list only documents the format, and operators load their own.
 */
public final class SpamTraps implements ReferenceList {

  private final ListProvenance provenance;
  private final Set<String> addresses;
  private final Set<String> domains;

  private SpamTraps(ListProvenance provenance, Set<String> addresses, Set<String> domains) {
    this.provenance = provenance;
    this.addresses = Set.copyOf(addresses);
    this.domains = Set.copyOf(domains);
  }

  /** Reads a list whose lines are trap addresses (with '@') or trap domains (without). */
  public static SpamTraps load(ListLocation location) {
    ListFile file = ListFile.read(location);
    Set<String> addresses = new HashSet<>();
    Set<String> domains = new HashSet<>();
    for (ListFile.Line line : file.lines()) {
      String text = line.text();
      int at = text.lastIndexOf('@');
      if (at < 0) {
        domains.add(file.domain(line));
      } else if (at == 0) {
        throw file.problem(line, "'" + text + "' has an empty local part");
      } else {
        String domain = file.domain(line, text.substring(at + 1));
        addresses.add(text.substring(0, at).toLowerCase(Locale.ROOT) + "@" + domain);
      }
    }
    return new SpamTraps(file.provenance(), addresses, domains);
  }

  /** True when the address is a listed trap or its domain (or a parent of it) is a trap domain. */
  public boolean isTrap(EmailAddress address) {
    for (String d = address.domain(); d != null; d = DomainNames.parent(d)) {
      if (domains.contains(d)) {
        return true;
      }
    }
    // Local parts are compared ignoring case: flagging "Trap@" as well as "trap@" is the safer error.
    return addresses.contains(address.unquotedLocalPart().toLowerCase(Locale.ROOT) + "@" + address.domain());
  }

  public int size() {
    return addresses.size() + domains.size();
  }

  @Override
  public ListProvenance provenance() {
    return provenance;
  }
}
