package io.mailprobe.pipeline.address;

/**
 * The local part grammar of RFC 5321 §4.1.2 ({@code Dot-string / Quoted-string}) with the RFC 6531 extension that
 * admits UTF-8 beyond ASCII in atoms and quoted text.
 */
final class LocalPartSyntax {

  /**
   * What a scan found.
   *
   * @param end index of the '@' that ends the local part (valid only when problem is null)
   */
  record Scan(int end, boolean quoted, boolean nonAscii, String problem) {
    static Scan failed(String problem) {
      return new Scan(-1, false, false, problem);
    }
  }

  /** RFC 5322 atext for ASCII. */
  private static final boolean[] ATEXT = new boolean[128];

  static {
    for (char c = 'a'; c <= 'z'; c++) {
      ATEXT[c] = true;
      ATEXT[Character.toUpperCase(c)] = true;
    }
    for (char c = '0'; c <= '9'; c++) {
      ATEXT[c] = true;
    }
    for (char c : "!#$%&'*+-/=?^_`{|}~".toCharArray()) {
      ATEXT[c] = true;
    }
  }

  private LocalPartSyntax() {}

  /** Scans the local part at the start of {@code s}; the caller has already refused control characters. */
  static Scan scan(String s) {
    return s.charAt(0) == '"' ? quoted(s) : dotString(s);
  }

  private static Scan dotString(String s) {
    int n = s.length();
    boolean nonAscii = false;
    boolean previousDot = false;
    int i = 0;
    for (; i < n; i++) {
      char c = s.charAt(i);
      if (c == '@') {
        break;
      }
      if (c == '.') {
        if (i == 0) {
          return Scan.failed("local part starts with a dot");
        }
        if (previousDot) {
          return Scan.failed("consecutive dots in local part");
        }
        previousDot = true;
        continue;
      }
      previousDot = false;
      if (c < 0x80) {
        if (!ATEXT[c]) {
          return Scan.failed(asciiProblem(c, i));
        }
      } else {
        nonAscii = true;
        // Invisible and space characters beyond ASCII make look-alike addresses; refuse them outside quotes.
        if (Character.isSpaceChar(c) || Character.getType(c) == Character.FORMAT) {
          return Scan.failed(
              "invisible or space character " + AddressParser.codePoint(c) + " at position " + (i + 1)
                  + " (allowed only inside a quoted local part)");
        }
      }
    }
    if (i == 0) {
      return Scan.failed("empty local part");
    }
    if (i == n) {
      return Scan.failed("missing @");
    }
    if (previousDot) {
      return Scan.failed("local part ends with a dot");
    }
    return new Scan(i, false, nonAscii, null);
  }

  private static String asciiProblem(char c, int i) {
    int position = i + 1;
    return switch (c) {
      case ' ' -> "space at position " + position + " (allowed only inside a quoted local part)";
      case '<', '>' -> "'" + c + "' at position " + position + " (allowed only inside a quoted local part)";
      case '"' -> "unbalanced quote at position " + position + " (a quoted local part must be quoted as a whole)";
      case '\\' -> "backslash at position " + position + " (allowed only inside a quoted local part)";
      default -> "character '" + c + "' at position " + position + " is not allowed in an unquoted local part";
    };
  }

  private static Scan quoted(String s) {
    int n = s.length();
    boolean nonAscii = false;
    int i = 1;
    while (i < n) {
      char c = s.charAt(i);
      if (c == '"') {
        break;
      }
      if (c == '<' || c == '>' || (c == '\\' && i + 1 < n && (s.charAt(i + 1) == '<' || s.charAt(i + 1) == '>'))) {
        int at = c == '\\' ? i + 2 : i + 1;
        // RFC 5321 allows it in quotes, but DESIGN §4 keeps '<' and '>' off the wire: no real mailbox needs one.
        return Scan.failed("'" + s.charAt(at - 1) + "' at position " + at + " inside a quoted local part is not probed");
      }
      if (c == '\\') {
        if (i + 1 >= n) {
          return Scan.failed("unbalanced quote");
        }
        char escaped = s.charAt(i + 1);
        if (escaped >= 0x80) {
          // RFC 6531 keeps quoted-pairSMTP ASCII: only qtext may carry UTF-8.
          return Scan.failed(
              "backslash escape of non-ASCII " + AddressParser.codePoint(escaped) + " at position " + (i + 2));
        }
        i += 2;
        continue;
      }
      if (c >= 0x80) {
        nonAscii = true;
      }
      i++;
    }
    if (i >= n) {
      return Scan.failed("unbalanced quote");
    }
    if (i == 1) {
      return Scan.failed("empty local part");
    }
    int after = i + 1;
    if (after == n) {
      return Scan.failed("missing @");
    }
    char next = s.charAt(after);
    if (next != '@') {
      return Scan.failed(
          "character '" + next + "' at position " + (after + 1) + " after the closing quote; expected @");
    }
    return new Scan(after, true, nonAscii, null);
  }
}
