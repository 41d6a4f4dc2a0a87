package io.mailprobe.pipeline.intel;

/** Small facts about lower-case A-label domain names as the lists hold them. */
final class DomainNames {

  private DomainNames() {}

  /** Why {@code domain} is not a lower-case LDH domain name of two or more labels, or null. */
  static String problem(String domain) {
    if (domain.isEmpty() || domain.length() > 253) {
      return "length " + domain.length();
    }
    int labelStart = 0;
    int dots = 0;
    for (int i = 0; i <= domain.length(); i++) {
      char c = i < domain.length() ? domain.charAt(i) : '.';
      if (c == '.') {
        int length = i - labelStart;
        if (length == 0 || length > 63) {
          return "label " + (length == 0 ? "empty" : "longer than 63");
        }
        if (domain.charAt(labelStart) == '-' || domain.charAt(i - 1) == '-') {
          return "label starts or ends with '-'";
        }
        labelStart = i + 1;
        if (i < domain.length()) {
          dots++;
        }
      } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
        return "character '" + c + "'";
      }
    }
    return dots == 0 ? "a single label" : null;
  }

  /** The parent of {@code domain} ("a.b.example" gives "b.example"), or null at a single label. */
  static String parent(String domain) {
    int dot = domain.indexOf('.');
    return dot < 0 ? null : domain.substring(dot + 1);
  }
}
