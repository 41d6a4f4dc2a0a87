package io.mailprobe.pipeline.smtp;

import java.nio.charset.StandardCharsets;

/**
 * Guards every value that reaches the SMTP wire (DESIGN §4): control characters (CR, LF, NUL, ...), angle brackets
 * outside a quoted local part and over-long values are refused with {@link IllegalArgumentException} before any
 * connection is made, so that no address can smuggle a command into a session.
 */
public final class SmtpArguments {

  /** RFC 5321 §4.5.3.1.1. */
  public static final int MAX_LOCAL_PART_OCTETS = 64;

  /** RFC 5321 §4.5.3.1.2. */
  public static final int MAX_DOMAIN_OCTETS = 255;

  /** RFC 5321 §4.5.3.1.3, including the angle brackets. */
  public static final int MAX_PATH_OCTETS = 256;

  private SmtpArguments() {}

  /** Returns {@code mailbox} when it is safe to put inside {@code <...>} of RCPT TO or MAIL FROM. */
  public static String requireSafeMailbox(String mailbox) {
    if (mailbox == null || mailbox.isEmpty()) {
      throw new IllegalArgumentException("empty mailbox");
    }
    requireNoControls(mailbox);
    int at = mailbox.lastIndexOf('@');
    if (at <= 0 || at == mailbox.length() - 1) {
      throw new IllegalArgumentException("mailbox needs a local part and a domain: " + printable(mailbox));
    }
    String local = mailbox.substring(0, at);
    String domain = mailbox.substring(at + 1);
    requireSafeLocalPart(local);
    requireSafeDomain(domain);
    if (octets(mailbox) + 2 > MAX_PATH_OCTETS) {
      throw new IllegalArgumentException("path longer than " + MAX_PATH_OCTETS + " octets");
    }
    return mailbox;
  }

  /** Returns {@code sender} when it is a safe MAIL FROM path; the empty string is the null sender. */
  public static String requireSafeSender(String sender) {
    if (sender == null) {
      throw new IllegalArgumentException("sender is null (use \"\" for the null sender)");
    }
    return sender.isEmpty() ? sender : requireSafeMailbox(sender);
  }

  /** Returns {@code name} when it is a safe EHLO/HELO argument: printable ASCII, no spaces, at most 255 octets. */
  public static String requireSafeHeloName(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("empty HELO name");
    }
    if (name.length() > MAX_DOMAIN_OCTETS) {
      throw new IllegalArgumentException("HELO name longer than " + MAX_DOMAIN_OCTETS + " octets");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c <= 0x20 || c >= 0x7F || c == '<' || c == '>') {
        throw new IllegalArgumentException("HELO name has a forbidden character at " + i + ": " + printable(name));
      }
    }
    return name;
  }

  /** True when the mailbox has non-ASCII characters and so needs the SMTPUTF8 extension (RFC 6531). */
  public static boolean needsSmtpUtf8(String mailbox) {
    for (int i = 0; i < mailbox.length(); i++) {
      if (mailbox.charAt(i) >= 0x80) {
        return true;
      }
    }
    return false;
  }

  /**
   * Refuses any single command line (without its CRLF) that could split into two commands or carry a control
   * character; used on the wire path as the last guard.
   */
  public static void requireSafeCommandLine(CharSequence line) {
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\r' || c == '\n' || c == 0) {
        throw new IllegalArgumentException("command line carries CR, LF or NUL at " + i);
      }
    }
  }

  private static void requireSafeLocalPart(String local) {
    if (octets(local) > MAX_LOCAL_PART_OCTETS) {
      throw new IllegalArgumentException("local part longer than " + MAX_LOCAL_PART_OCTETS + " octets");
    }
    boolean quoted = local.length() >= 2 && local.charAt(0) == '"' && local.charAt(local.length() - 1) == '"';
    if (quoted) {
      // Inside quotes RFC 5321 allows brackets and spaces; a backslash escapes the next character.
      for (int i = 1; i < local.length() - 1; i++) {
        char c = local.charAt(i);
        if (c == '<' || c == '>') {
          throw new IllegalArgumentException("angle bracket in quoted local part at " + i + ": " + printable(local));
        }
        if (c == '\\') {
          i++;
          if (i < local.length() - 1 && (local.charAt(i) == '<' || local.charAt(i) == '>')) {
            throw new IllegalArgumentException("angle bracket in quoted local part at " + i + ": " + printable(local));
          }
          if (i >= local.length() - 1) {
            throw new IllegalArgumentException("dangling escape in quoted local part");
          }
        } else if (c == '"') {
          throw new IllegalArgumentException("unescaped quote inside quoted local part");
        }
      }
      return;
    }
    for (int i = 0; i < local.length(); i++) {
      char c = local.charAt(i);
      if (c == '<' || c == '>' || c == ' ' || c == '"' || c == '\\' || c == '@') {
        throw new IllegalArgumentException("local part has a forbidden character at " + i + ": " + printable(local));
      }
    }
  }

  private static void requireSafeDomain(String domain) {
    if (domain.length() > MAX_DOMAIN_OCTETS) {
      throw new IllegalArgumentException("domain longer than " + MAX_DOMAIN_OCTETS + " octets");
    }
    if (domain.startsWith("[") && domain.endsWith("]")) {
      for (int i = 1; i < domain.length() - 1; i++) {
        char c = domain.charAt(i);
        if (c <= 0x20 || c >= 0x7F || c == '[' || c == ']' || c == '\\' || c == '<' || c == '>') {
          throw new IllegalArgumentException("address literal has a forbidden character: " + printable(domain));
        }
      }
      return;
    }
    for (int i = 0; i < domain.length(); i++) {
      char c = domain.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
      if (!ok) {
        throw new IllegalArgumentException(
            "domain must be an ASCII host name (A-label), forbidden character at " + i + ": " + printable(domain));
      }
    }
  }

  private static void requireNoControls(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      // C0 controls (CR, LF, NUL, TAB, ...), DEL and C1 controls.
      if (c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029) {
        throw new IllegalArgumentException("control character U+" + String.format("%04X", (int) c) + " at " + i);
      }
    }
  }

  private static int octets(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  /** The value with controls escaped, for error messages that must not themselves carry a line break. */
  private static String printable(String s) {
    StringBuilder b = new StringBuilder(Math.min(s.length(), 80));
    for (int i = 0; i < s.length() && i < 80; i++) {
      char c = s.charAt(i);
      b.append(c < 0x20 || c == 0x7F ? String.format("\\x%02X", (int) c) : String.valueOf(c));
    }
    return b.toString();
  }
}
