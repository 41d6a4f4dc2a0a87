package io.mailprobe.pipeline.intel;

/** The reference lists, each with its configuration key and bundled file name. */
public enum ListName {
  ROLE_ACCOUNTS("role-accounts"),
  DISPOSABLE_DOMAINS("disposable-domains"),
  FREE_PROVIDERS("free-providers"),
  POPULAR_DOMAINS("popular-domains"),
  TOP_LEVEL_DOMAINS("top-level-domains"),
  SPAM_TRAPS("spam-traps"),
  PROVIDER_RULES("provider-rules");

  private final String key;

  ListName(String key) {
    this.key = key;
  }

  /** The configuration key, such as "disposable-domains". */
  public String key() {
    return key;
  }

  /** The file shipped in the jar. */
  public String bundledFile() {
    return key + ".txt";
  }

  /** The list for a configuration key. */
  public static ListName fromKey(String key) {
    for (ListName name : values()) {
      if (name.key.equals(key)) {
        return name;
      }
    }
    throw new IllegalArgumentException("unknown reference list '" + key + "'");
  }
}
