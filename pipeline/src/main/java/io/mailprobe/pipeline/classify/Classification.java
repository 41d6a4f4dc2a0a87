package io.mailprobe.pipeline.classify;

import io.mailprobe.pipeline.verdict.Reason;
import io.mailprobe.pipeline.verdict.Status;

/** The meaning of a reply or failure for one address (DESIGN §3). */
public record Classification(Status status, Reason reason, Disposition disposition) {

  static Classification finalOf(Status status, Reason reason) {
    return new Classification(status, reason, Disposition.FINAL);
  }
}
