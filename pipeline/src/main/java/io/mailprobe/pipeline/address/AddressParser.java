package io.mailprobe.pipeline.address;

/**
 * Parses a mailbox address per RFC 5321 (the SMTP {@code Mailbox} grammar), RFC 5322 and, for non-ASCII local
 * parts, RFC 6531/6532; the domain goes to lower-case A-labels through UTS #46 (see {@link DomainSyntax}).
 *
 * <p>Decisions worth knowing:
 *
 * <ul>
 *   <li>The input is not trimmed: a leading or trailing space is a problem of its own ("trailing space"). A caller
 *       that wants to forgive pasted spaces trims before calling; the verdict then shows what was checked.
 *   <li>Comments, folding white space and obsolete forms that RFC 5322 permits in message headers are refused:
 *       they cannot be sent in an SMTP {@code RCPT TO}.
 *   <li>Every control character (C0, DEL, C1) anywhere is refused with its code and position, so that nothing
 *       that could inject an SMTP command ever leaves this class valid.
 *   <li>Address literals ({@code user@[192.0.2.1]}) are syntactically legal but refused: there is no domain to
 *       verify.
 *   <li>Lengths are octets of the UTF-8 local part and the A-label domain: local part 64, domain 255, whole
 *       address 254 (the RFC 5321 path limit of 256 less the angle brackets).
 *   <li>Positions in problems count characters from 1.
 * </ul>
 *
 * <p>Thread-safe; no regular expressions and no exceptions on any invalid input.
 */
public final class AddressParser {

  static final int MAX_LOCAL_PART_OCTETS = 64;
  static final int MAX_ADDRESS_OCTETS = 254;

  private AddressParser() {}

  /** Parses {@code input}; never throws. */
  public static ParsedAddress parse(String input) {
    if (input == null) {
      return new ParsedAddress.Invalid(null, "no address (null)");
    }
    String problem = surfaceProblem(input);
    if (problem != null) {
      return new ParsedAddress.Invalid(input, problem);
    }
    LocalPartSyntax.Scan local = LocalPartSyntax.scan(input);
    if (local.problem() != null) {
      return new ParsedAddress.Invalid(input, local.problem());
    }
    int at = local.end();
    String localPart = input.substring(0, at);
    int localOctets = local.nonAscii() ? utf8Length(localPart) : localPart.length();
    if (localOctets > MAX_LOCAL_PART_OCTETS) {
      return new ParsedAddress.Invalid(
          input, "local part is " + localOctets + " octets; the limit is " + MAX_LOCAL_PART_OCTETS);
    }
    DomainSyntax.Result domain = DomainSyntax.toAscii(input, at + 1);
    if (domain.problem() != null) {
      return new ParsedAddress.Invalid(input, domain.problem());
    }
    int total = localOctets + 1 + domain.ascii().length();
    if (total > MAX_ADDRESS_OCTETS) {
      return new ParsedAddress.Invalid(
          input, "address is " + total + " octets; the limit is " + MAX_ADDRESS_OCTETS);
    }
    return new ParsedAddress.Valid(
        new EmailAddress(
            input, localPart, domain.unicode(), domain.ascii(), local.quoted(), local.nonAscii()));
  }

  /** Problems that concern the whole text: emptiness, edge spaces, control characters, broken UTF-16. */
  private static String surfaceProblem(String s) {
    int n = s.length();
    if (n == 0) {
      return "empty address";
    }
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
        return "control character " + codePoint(c) + " (" + controlName(c) + ") at position " + (i + 1);
      }
      if (c == 0x2028 || c == 0x2029) {
        // Line breaks to Unicode (and to some SMTP stacks); the wire guard refuses them, so must the parser.
        return (c == 0x2028 ? "line" : "paragraph") + " separator " + codePoint(c) + " at position " + (i + 1);
      }
      if (Character.isSurrogate(c)) {
        boolean paired =
            Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1));
        if (!paired) {
          return "unpaired surrogate " + codePoint(c) + " at position " + (i + 1) + " (not valid Unicode)";
        }
        i++;
      }
    }
    if (s.charAt(0) == ' ') {
      return "leading space (trim the input before parsing)";
    }
    if (s.charAt(n - 1) == ' ') {
      return "trailing space (trim the input before parsing)";
    }
    if (s.indexOf('@') < 0) {
      return "missing @";
    }
    return null;
  }

  static String codePoint(int c) {
    return String.format("U+%04X", c);
  }

  private static final String[] C0_NAMES = {
    "NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "HT", "LF", "VT", "FF", "CR", "SO", "SI",
    "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM", "SUB", "ESC", "FS", "GS", "RS", "US"
  };

  private static String controlName(char c) {
    if (c < 0x20) {
      return C0_NAMES[c];
    }
    if (c == 0x7F) {
      return "DEL";
    }
    return c == 0x85 ? "NEL, a C1 control" : "a C1 control";
  }

  static int utf8Length(String s) {
    int octets = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        octets += 1;
      } else if (c < 0x800) {
        octets += 2;
      } else if (Character.isHighSurrogate(c)) {
        octets += 4;
        i++;
      } else {
        octets += 3;
      }
    }
    return octets;
  }
}
