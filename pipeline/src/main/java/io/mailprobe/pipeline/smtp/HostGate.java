package io.mailprobe.pipeline.smtp;

import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Politeness towards one mail server: the prober asks for a slot before it dials an address and gives it back when
 * the session ends, so that per-host concurrency and session-rate limits hold however many probes run.
 */
public interface HostGate {

  /** A gate that never waits. */
  HostGate OPEN = host -> CompletableFuture.completedFuture(() -> {});

  /** Completes with a permit once a session to {@code host} may start. */
  CompletionStage<Permit> acquire(InetAddress host);

  /** A held session slot; release it exactly once. */
  interface Permit {
    void release();
  }
}
