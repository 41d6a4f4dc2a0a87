package io.mailprobe.pipeline.dns;

import java.util.concurrent.CompletionStage;

/** Finds the mail route of a domain without blocking the caller. */
public interface MxResolver {

  /**
   * Resolves the route of a domain given as a lower-case A-label. The stage always completes normally: DNS trouble
   * is a {@link MailRoute.LookupFailed}, never an exception.
   */
  CompletionStage<MailRoute> resolve(String asciiDomain);
}
