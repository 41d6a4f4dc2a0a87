package io.mailprobe.pipeline.intel;

import io.mailprobe.pipeline.address.EmailAddress;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/** Local parts that name a function rather than a person (postmaster, info, sales, ...): {@code flags.role}. */
public final class RoleAccounts implements ReferenceList {

  private final ListProvenance provenance;
  private final Set<String> localParts;

  private RoleAccounts(ListProvenance provenance, Set<String> localParts) {
    this.provenance = provenance;
    this.localParts = Set.copyOf(localParts);
  }

  /** Reads a list of one local part per line. */
  public static RoleAccounts load(ListLocation location) {
    ListFile file = ListFile.read(location);
    Set<String> parts = new HashSet<>();
    for (ListFile.Line line : file.lines()) {
      String text = line.text();
      if (text.indexOf('@') >= 0 || text.indexOf('+') >= 0 || text.indexOf(' ') >= 0) {
        throw file.problem(line, "'" + text + "' is not a bare local part (no '@', '+tag' or spaces)");
      }
      parts.add(text.toLowerCase(Locale.ROOT));
    }
    return new RoleAccounts(file.provenance(), parts);
  }

  /** True when the address's local part, ignoring case and any {@code +tag}, is a role name. */
  public boolean isRole(EmailAddress address) {
    return isRoleLocalPart(address.unquotedLocalPart());
  }

  /** True when {@code localPart}, ignoring case and any {@code +tag}, is a role name. */
  public boolean isRoleLocalPart(String localPart) {
    int plus = localPart.indexOf('+');
    String base = plus >= 0 ? localPart.substring(0, plus) : localPart;
    return localParts.contains(base.toLowerCase(Locale.ROOT));
  }

  public int size() {
    return localParts.size();
  }

  @Override
  public ListProvenance provenance() {
    return provenance;
  }
}
