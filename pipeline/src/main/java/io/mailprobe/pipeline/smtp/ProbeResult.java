package io.mailprobe.pipeline.smtp;

import java.util.List;

/**
 * What the mail servers said about a {@link ProbeRequest}: one outcome per recipient in request order, then one per
 * recipient its feed added in the order fed, the catch-all probe's outcome (null when not asked), and how many SMTP
 * sessions it took.
 */
public record ProbeResult(List<RcptOutcome> outcomes, RcptOutcome catchAllProbe, int sessions) {
  public ProbeResult {
    outcomes = List.copyOf(outcomes);
  }
}
