package io.mailprobe.jobs.verify;

/**
 * One event's address waiting in its domain's keyed state: queued for a session slot, in a probe, or waiting for a
 * greylist retry. A Flink POJO so that RocksDB state can evolve without Kryo.
 */
public final class PendingAddress {

  public String eventId;
  public String email;
  /** The attempt the next (or running) probe makes, from 1. */
  public int attempt;
  public long firstAttemptAtMs;
  public boolean greylistedBefore;
  /** Not to be asked before this time (a retry's due time, or the domain's backoff). */
  public long dueAtMs;
  /** True while a probe carries it; a restore finds such entries and asks again. */
  public boolean inFlight;

  public PendingAddress() {}

  PendingAddress(String eventId, String email, long receivedAtMs, long dueAtMs) {
    this.eventId = eventId;
    this.email = email;
    this.attempt = 1;
    this.firstAttemptAtMs = receivedAtMs;
    this.dueAtMs = dueAtMs;
  }
}
