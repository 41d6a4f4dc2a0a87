package io.mailprobe.pipeline.smtp;

import io.mailprobe.pipeline.dns.MxHost;
import java.util.List;
import java.util.Objects;

/**
 * One domain's worth of SMTP work: the exchangers to try in order, the recipients to ask about, and an optional
 * catch-all probe asked after all of them.
 *
 * @param recipients normalized addresses of the domain; each must pass {@link SmtpArguments#requireSafeMailbox}
 * @param catchAllProbe an address with a random local part, or null to skip the probe
 * @param recipientsPerSession how many RCPT TO one transaction carries before RSET (provider rules may lower it)
 * @param feed further recipients asked once the given ones are answered; {@link RecipientFeed#NONE} for none
 */
public record ProbeRequest(
    String domain,
    List<MxHost> exchangers,
    List<String> recipients,
    String catchAllProbe,
    int recipientsPerSession,
    RecipientFeed feed) {

  /** A request whose recipients are all known up front. */
  public ProbeRequest(
      String domain, List<MxHost> exchangers, List<String> recipients, String catchAllProbe, int recipientsPerSession) {
    this(domain, exchangers, recipients, catchAllProbe, recipientsPerSession, RecipientFeed.NONE);
  }

  public ProbeRequest {
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(feed, "feed");
    exchangers = List.copyOf(exchangers);
    recipients = List.copyOf(recipients);
    if (exchangers.isEmpty()) {
      throw new IllegalArgumentException("no exchangers for " + domain);
    }
    if (recipientsPerSession < 1) {
      throw new IllegalArgumentException("recipientsPerSession must be >= 1: " + recipientsPerSession);
    }
    // Refuse command injection and over-long paths before anything is queued (DESIGN §4).
    recipients.forEach(SmtpArguments::requireSafeMailbox);
    if (catchAllProbe != null) {
      SmtpArguments.requireSafeMailbox(catchAllProbe);
    }
  }
}
