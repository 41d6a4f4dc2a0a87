package io.mailprobe.pipeline.verify;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Addresses of a domain that join its running verification, so that they share its open SMTP session (see
 * {@link io.mailprobe.pipeline.smtp.RecipientFeed}).
 */
@FunctionalInterface
public interface PendingFeed {

  /** A feed that never has more. */
  PendingFeed NONE = () -> CompletableFuture.completedFuture(List.of());

  /** Addresses of the same domain to verify next; an empty list (or a failed stage) ends the feed. */
  CompletionStage<List<Pending>> more();
}
