package io.mailprobe.pipeline.verify;

import io.mailprobe.pipeline.classify.ReplyClassifier;
import io.mailprobe.pipeline.smtp.RcptOutcome;
import io.mailprobe.pipeline.verdict.Reason;

/** Whether a domain accepts mail for any local part, as far as we know (DESIGN §4: tri-state, cached with a TTL). */
public enum CatchAllStatus {
  UNKNOWN,
  YES,
  NO;

  /**
   * What the catch-all probe's outcome says: accepted means yes, a mailbox-not-found rejection means no, anything
   * else (greylisting, blocks, timeouts) tells nothing.
   */
  public static CatchAllStatus fromProbe(RcptOutcome probe) {
    if (!(probe instanceof RcptOutcome.Answered answered)) {
      return UNKNOWN;
    }
    Reason reason = ReplyClassifier.rcpt(answered.reply()).reason();
    return switch (reason) {
      case ACCEPTED -> YES;
      case MAILBOX_NOT_FOUND -> NO;
      default -> UNKNOWN;
    };
  }
}
