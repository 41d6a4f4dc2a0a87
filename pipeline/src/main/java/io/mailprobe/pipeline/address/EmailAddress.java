package io.mailprobe.pipeline.address;

import java.util.Objects;

/**
 * A syntactically valid mailbox address, as parsed by {@link AddressParser}.
 *
 * @param input the text exactly as it was given
 * @param localPart the local part as given: case kept, a quoted local part keeps its quotes and escapes
 * @param unicodeDomain the domain in Unicode (U-labels), lower case
 * @param asciiDomain the domain as lower-case A-labels: the key used everywhere (DNS, state, lists)
 * @param quoted true when the local part is a quoted string ({@code "john doe"@example.com})
 * @param internationalizedLocalPart true when the local part holds non-ASCII characters (RFC 6531/6532): the
 *     server must offer SMTPUTF8 before such an address may be sent
 */
public record EmailAddress(
    String input,
    String localPart,
    String unicodeDomain,
    String asciiDomain,
    boolean quoted,
    boolean internationalizedLocalPart) {

  public EmailAddress {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(localPart, "localPart");
    Objects.requireNonNull(unicodeDomain, "unicodeDomain");
    Objects.requireNonNull(asciiDomain, "asciiDomain");
  }

  /** The address as it is keyed and sent: local part as given, "@", the ASCII domain. */
  public String normalized() {
    return localPart + "@" + asciiDomain;
  }

  /** The lower-case A-label domain, the key of all per-domain work. */
  public String domain() {
    return asciiDomain;
  }

  /**
   * The local part without its quotes and backslash escapes ({@code "john\"doe"} gives {@code john"doe}); an
   * unquoted local part is returned as is. Lists match on this form.
   */
  public String unquotedLocalPart() {
    if (!quoted) {
      return localPart;
    }
    StringBuilder out = new StringBuilder(localPart.length());
    for (int i = 1; i < localPart.length() - 1; i++) {
      char c = localPart.charAt(i);
      if (c == '\\' && i + 1 < localPart.length() - 1) {
        c = localPart.charAt(++i);
      }
      out.append(c);
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return normalized();
  }
}
