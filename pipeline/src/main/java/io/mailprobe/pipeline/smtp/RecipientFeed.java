package io.mailprobe.pipeline.smtp;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Recipients that join a probe while it runs: asked each time the probe has asked everything it holds, before the
 * catch-all probe and QUIT, so that addresses arriving meanwhile share the open session instead of waiting for a
 * new one.
 */
@FunctionalInterface
public interface RecipientFeed {

  /** A feed that never has more. */
  RecipientFeed NONE = () -> CompletableFuture.completedFuture(List.of());

  /**
   * Recipients to ask next, each held to the same rules as {@link ProbeRequest#recipients()}; an empty list (or a
   * failed stage) ends the feed for this probe.
   */
  CompletionStage<List<String>> more();
}
