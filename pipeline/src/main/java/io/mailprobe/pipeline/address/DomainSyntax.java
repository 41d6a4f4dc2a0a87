package io.mailprobe.pipeline.address;

import com.ibm.icu.text.IDNA;
import com.ibm.icu.text.SpoofChecker;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The domain of an address: RFC 5321 {@code Domain} (LDH labels joined by dots), internationalized names converted
 * with UTS #46 (nontransitional, CheckBidi, CheckContextJ, UseSTD3ASCIIRules): IDNA2008 behaviour, unlike
 * {@code java.net.IDN}, which is IDNA2003.
 */
final class DomainSyntax {

  static final int MAX_DOMAIN_OCTETS = 255;
  static final int MAX_LABEL_OCTETS = 63;

  /** Beyond this many characters no mapping can bring a domain under 255 octets; spares ICU a megabyte. */
  private static final int MAX_RAW_CHARS = 4 * MAX_DOMAIN_OCTETS;

  // ICU's UTS46 instances are immutable and thread-safe.
  private static final IDNA UTS46 =
      IDNA.getUTS46Instance(
          IDNA.NONTRANSITIONAL_TO_ASCII
              | IDNA.NONTRANSITIONAL_TO_UNICODE
              | IDNA.CHECK_BIDI
              | IDNA.CHECK_CONTEXTJ
              | IDNA.USE_STD3_RULES);

  /**
   * ICU errors this class reports itself with a more specific message after conversion, plus HYPHEN_3_4: labels
   * such as "ab--cd" exist in the DNS and receive mail, so (as the WHATWG URL standard does) they are not refused.
   */
  private static final Set<IDNA.Error> CHECKED_AFTERWARDS =
      EnumSet.of(
          IDNA.Error.HYPHEN_3_4,
          IDNA.Error.LEADING_HYPHEN,
          IDNA.Error.TRAILING_HYPHEN,
          IDNA.Error.EMPTY_LABEL,
          IDNA.Error.LABEL_TOO_LONG,
          IDNA.Error.DOMAIN_NAME_TOO_LONG);

  // Immutable once built; ICU documents SpoofChecker as thread-safe for checking.
  private static final SpoofChecker LOOK_ALIKES =
      new SpoofChecker.Builder()
          .setRestrictionLevel(SpoofChecker.RestrictionLevel.HIGHLY_RESTRICTIVE)
          .setChecks(SpoofChecker.RESTRICTION_LEVEL | SpoofChecker.MIXED_NUMBERS)
          .build();

  /** The converted domain, or the problem that stopped it. */
  record Result(String ascii, String unicode, String problem) {
    static Result failed(String problem) {
      return new Result(null, null, problem);
    }
  }

  private DomainSyntax() {}

  /** Converts the domain that starts at {@code start} of {@code s} (the character after the '@'). */
  static Result toAscii(String s, int start) {
    int n = s.length();
    if (start == n) {
      return Result.failed("missing domain after @");
    }
    if (s.charAt(start) == '[') {
      return Result.failed("address literals such as [192.0.2.1] are not verified");
    }
    String raw = s.substring(start);
    boolean ascii = true;
    boolean aceLabel = false;
    int labelStart = start;
    for (int i = start; i < n; i++) {
      char c = s.charAt(i);
      if (c == '.') {
        if (i == start) {
          return Result.failed("domain starts with a dot");
        }
        if (i == labelStart) {
          return Result.failed("domain '" + raw + "' has an empty label");
        }
        labelStart = i + 1;
      } else if (c < 0x80) {
        if (!isLetterDigitHyphen(c)) {
          return Result.failed(asciiProblem(c, i));
        }
        if (i == labelStart + 3 && c == '-' && isAcePrefix(s, labelStart)) {
          aceLabel = true;
        }
      } else {
        ascii = false;
      }
    }
    if (labelStart == n) {
      return Result.failed("domain ends with a dot");
    }
    String converted;
    String unicode;
    if (ascii && !aceLabel) {
      // Pure LDH without "xn--": UTS #46 would only lower-case it; skip ICU on the hot path.
      if (raw.length() > MAX_DOMAIN_OCTETS) {
        return Result.failed(tooLong(raw.length()));
      }
      converted = raw.toLowerCase(Locale.ROOT);
      unicode = converted;
    } else {
      if (raw.length() > MAX_RAW_CHARS) {
        return Result.failed("domain is " + raw.length() + " characters; the limit is " + MAX_DOMAIN_OCTETS + " octets");
      }
      IDNA.Info info = new IDNA.Info();
      StringBuilder out = new StringBuilder(raw.length() + 16);
      UTS46.nameToASCII(raw, out, info);
      String idnProblem = idnProblem(info, raw);
      if (idnProblem != null) {
        return Result.failed(idnProblem);
      }
      converted = out.toString();
      unicode = converted;
      if (converted.contains("xn--")) {
        IDNA.Info back = new IDNA.Info();
        StringBuilder u = new StringBuilder(converted.length());
        UTS46.nameToUnicode(converted, u, back);
        idnProblem = idnProblem(back, raw);
        if (idnProblem != null) {
          return Result.failed(idnProblem);
        }
        unicode = u.toString();
      }
    }
    String problem = labelProblem(converted);
    if (problem == null && !unicode.equals(converted)) {
      problem = lookAlikeProblem(unicode);
    }
    return problem == null ? new Result(converted, unicode, null) : Result.failed(problem);
  }

  /**
   * Mixed-script labels (UTS #39 restriction level "highly restrictive", checked per label, plus mixed digit sets):
   * a Cyrillic "а" among Latin letters ("pаypal") is a look-alike that ICANN's IDN guidelines keep registries from
   * registering, so no real mailbox lives there; it is refused rather than probed. A label in one script
   * ("пример", "münchen") and the combinations the level allows (Latin with Han, Hiragana and Katakana; Han with
   * Hangul) pass. Whole-script look-alikes ("аррӏе" all in Cyrillic) pass: they are legitimate in their script.
   */
  private static String lookAlikeProblem(String unicode) {
    for (String label : unicode.split("\\.")) {
      if (LOOK_ALIKES.failsChecks(label)) {
        return "domain label '" + label + "' mixes scripts (e.g. Cyrillic or Greek letters among Latin ones): a"
            + " look-alike of another name (UTS #39), not a registrable domain";
      }
    }
    return null;
  }

  private static boolean isLetterDigitHyphen(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
  }

  private static boolean isAcePrefix(String s, int labelStart) {
    return (s.charAt(labelStart) | 0x20) == 'x'
        && (s.charAt(labelStart + 1) | 0x20) == 'n'
        && s.charAt(labelStart + 2) == '-';
  }

  private static String asciiProblem(char c, int i) {
    int position = i + 1;
    return switch (c) {
      case '@' -> "second @ at position " + position + " (an @ in the local part must be quoted)";
      case ' ' -> "space at position " + position + " in the domain";
      default -> "character '" + c + "' at position " + position + " is not allowed in a domain";
    };
  }

  private static String tooLong(int octets) {
    return "domain is " + octets + " octets; the limit is " + MAX_DOMAIN_OCTETS;
  }

  private static String idnProblem(IDNA.Info info, String raw) {
    if (!info.hasErrors()) {
      return null;
    }
    StringJoiner reasons = new StringJoiner("; ");
    for (IDNA.Error error : info.getErrors()) {
      if (!CHECKED_AFTERWARDS.contains(error)) {
        reasons.add(describe(error));
      }
    }
    return reasons.length() == 0 ? null : "IDN conversion failed: " + reasons + " in '" + raw + "'";
  }

  private static String describe(IDNA.Error error) {
    return switch (error) {
      case BIDI -> "right-to-left text breaks the Bidi rule (RFC 5893)";
      case CONTEXTJ -> "zero-width joiner or non-joiner in a position RFC 5892 does not allow";
      case CONTEXTO_DIGITS -> "mixed Arabic-Indic digit sets";
      case CONTEXTO_PUNCTUATION -> "punctuation in a position RFC 5892 does not allow";
      case DISALLOWED -> "character not allowed in a domain name (UTS #46)";
      case INVALID_ACE_LABEL -> "an 'xn--' label that does not decode to a valid name";
      case PUNYCODE -> "an 'xn--' label with broken Punycode";
      case LEADING_COMBINING_MARK -> "a label starts with a combining mark";
      case LABEL_HAS_DOT -> "a label contains a dot";
      default -> error.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    };
  }

  /** Checks of the converted (A-label) form; the lengths here are octets because it is ASCII. */
  private static String labelProblem(String domain) {
    if (domain.length() > MAX_DOMAIN_OCTETS) {
      return tooLong(domain.length());
    }
    int n = domain.length();
    int labelStart = 0;
    int labels = 0;
    for (int i = 0; i <= n; i++) {
      if (i < n && domain.charAt(i) != '.') {
        continue;
      }
      labels++;
      int length = i - labelStart;
      if (length == 0) {
        return i == n ? "domain ends with a dot" : "domain '" + domain + "' has an empty label";
      }
      String label = domain.substring(labelStart, i);
      if (length > MAX_LABEL_OCTETS) {
        return "domain label '" + shorten(label) + "' is " + length + " octets; the limit is " + MAX_LABEL_OCTETS;
      }
      if (label.charAt(0) == '-') {
        return "domain label '" + label + "' starts with a hyphen";
      }
      if (label.charAt(length - 1) == '-') {
        return "domain label '" + label + "' ends with a hyphen";
      }
      if (i == n && labels > 1 && allDigits(label)) {
        return "top-level domain '" + label + "' is all digits (an IP address is written as [192.0.2.1])";
      }
      labelStart = i + 1;
    }
    if (labels == 1) {
      return "domain has no dot ('" + domain + "' is a single label and cannot receive Internet mail)";
    }
    return null;
  }

  private static boolean allDigits(String label) {
    for (int i = 0; i < label.length(); i++) {
      char c = label.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  private static String shorten(String label) {
    return label.length() <= 24 ? label : label.substring(0, 20) + "...";
  }
}
