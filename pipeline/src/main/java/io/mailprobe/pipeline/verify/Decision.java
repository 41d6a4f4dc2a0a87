package io.mailprobe.pipeline.verify;

import io.mailprobe.pipeline.classify.Disposition;
import io.mailprobe.pipeline.verdict.Verdict;

/**
 * A verdict and what to do next: {@link Disposition#FINAL} ends the address's story; otherwise the verdict is the
 * provisional answer and {@code verdict.retryAfter()} says when to ask again.
 */
public record Decision(Verdict verdict, Disposition disposition) {

  public boolean isFinal() {
    return disposition == Disposition.FINAL;
  }
}
