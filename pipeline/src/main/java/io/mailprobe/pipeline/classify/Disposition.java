package io.mailprobe.pipeline.classify;

/** What to do next with an address after classifying a reply. */
public enum Disposition {
  /** The verdict is final. */
  FINAL,
  /** Greylisted or another 4xx: ask again later on the backoff schedule. */
  RETRY,
  /** The server is limiting our rate: back off the whole domain, then ask again. */
  BACK_OFF_DOMAIN
}
