package io.mailprobe.pipeline.verify;

import io.mailprobe.pipeline.classify.Classification;
import io.mailprobe.pipeline.classify.Disposition;
import io.mailprobe.pipeline.classify.ReplyClassifier;
import io.mailprobe.pipeline.dns.MailRoute;
import io.mailprobe.pipeline.intel.ProviderRule;
import io.mailprobe.pipeline.smtp.HostContact;
import io.mailprobe.pipeline.smtp.RcptOutcome;
import io.mailprobe.pipeline.smtp.SessionFailure;
import io.mailprobe.pipeline.smtp.SmtpReply;
import io.mailprobe.pipeline.verdict.Flags;
import io.mailprobe.pipeline.verdict.Reason;
import io.mailprobe.pipeline.verdict.SmtpEvidence;
import io.mailprobe.pipeline.verdict.Status;
import io.mailprobe.pipeline.verdict.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Turns what DNS and the mail server said about one address into its verdict (DESIGN §2–§4): a pure function of its
 * inputs, shared by the one-off checker and the streaming job.
 */
public final class VerdictRules {

  private final RetrySchedule retries;

  public VerdictRules(RetrySchedule retries) {
    this.retries = retries;
  }

  /** The verdict for input that is not an address at all. */
  public static Verdict invalidSyntax(String input, String problem, Instant now) {
    return new Verdict(
        input, null, Status.UNDELIVERABLE, Reason.INVALID_SYNTAX, Flags.NONE, null, null, null, problem, 1, null,
        now, 0);
  }

  /** The verdict for an address that the lists alone decide (a spam trap, a disposable domain), if any. */
  public static Optional<Verdict> fromLists(CheckedAddress a, boolean spamTrap, Instant now) {
    if (spamTrap) {
      return Optional.of(
          base(a, Status.RISKY, Reason.SPAM_TRAP, a.flags(), null, null, "listed as a spam trap", 1, now, now));
    }
    if (a.flags().disposable()) {
      return Optional.of(
          base(a, Status.RISKY, Reason.DISPOSABLE, a.flags(), null, null, "disposable mail domain", 1, now, now));
    }
    return Optional.empty();
  }

  /** The decision when DNS gives no exchanger to ask. */
  public Decision forRoute(CheckedAddress a, MailRoute route, Attempt attempt, Instant started, Instant now) {
    if (route instanceof MailRoute.NoSuchDomain r) {
      return finalOf(a, Status.UNDELIVERABLE, Reason.NO_SUCH_DOMAIN, r.detail(), attempt, started, now);
    }
    if (route instanceof MailRoute.NullMx) {
      return finalOf(
          a, Status.UNDELIVERABLE, Reason.NULL_MX, "the domain publishes a null MX (RFC 7505)", attempt, started, now);
    }
    if (route instanceof MailRoute.NoMailServer r) {
      return finalOf(a, Status.UNDELIVERABLE, Reason.NO_MAIL_SERVER, r.detail(), attempt, started, now);
    }
    if (route instanceof MailRoute.LookupFailed r) {
      Verdict verdict =
          base(a, Status.UNKNOWN, Reason.DNS_ERROR, a.flags(), null, null, r.detail(), attempt.number(), started, now);
      return retryOrFinal(verdict, Disposition.RETRY, attempt, now);
    }
    throw new IllegalArgumentException("a route with exchangers needs an SMTP outcome");
  }

  /**
   * The decision for a recipient's SMTP outcome, given the domain's catch-all status and the provider rule that
   * matched its exchangers (null when none).
   */
  public Decision forOutcome(
      CheckedAddress a,
      RcptOutcome outcome,
      CatchAllStatus catchAll,
      ProviderRule provider,
      Attempt attempt,
      Instant started,
      Instant now) {
    Classification c;
    SmtpEvidence evidence;
    String detail = null;
    if (outcome instanceof RcptOutcome.Answered answered) {
      c = ReplyClassifier.rcpt(answered.reply());
      evidence = evidence(answered.host(), answered.reply());
    } else {
      SessionFailure failure = ((RcptOutcome.Unanswered) outcome).failure();
      c = ReplyClassifier.failure(failure);
      evidence = evidence(failure.host(), failure.lastReply());
      detail = failure.detail();
    }
    Status status = c.status();
    Reason reason = c.reason();
    Flags flags =
        a.flags()
            .withCatchAll(catchAll == CatchAllStatus.YES)
            .withGreylisted(attempt.greylistedBefore() || reason == Reason.GREYLISTED)
            .withFull(reason == Reason.MAILBOX_FULL)
            .withDisabled(reason == Reason.MAILBOX_DISABLED);
    if (reason == Reason.ACCEPTED) {
      if (provider != null && provider.acceptsUnverifiable()) {
        // Yahoo/AOL accept every RCPT and bounce after DATA: an acceptance proves nothing (DESIGN §4).
        status = Status.UNKNOWN;
        reason = Reason.PROVIDER_UNVERIFIABLE;
        detail = provider.name() + " accepts every recipient at RCPT; only delivery would tell";
      } else if (catchAll == CatchAllStatus.YES) {
        status = Status.RISKY;
        reason = Reason.CATCH_ALL;
        detail = "the domain also accepted a random local part";
      }
    }
    String providerName = provider == null ? null : provider.name();
    Verdict verdict =
        new Verdict(
            a.input(), a.normalized(), status, reason, flags, a.suggestion(), providerName, evidence, detail,
            attempt.number(), null, now, Duration.between(started, now).toMillis());
    return retryOrFinal(verdict, c.disposition(), attempt, now);
  }

  private Decision retryOrFinal(Verdict verdict, Disposition disposition, Attempt attempt, Instant now) {
    if (disposition == Disposition.FINAL) {
      return new Decision(verdict, Disposition.FINAL);
    }
    Optional<Instant> next = retries.nextAttempt(attempt.number(), attempt.firstAt(), now);
    return next.map(at -> new Decision(withRetryAfter(verdict, at), disposition))
        .orElseGet(() -> new Decision(verdict, Disposition.FINAL));
  }

  private static Verdict withRetryAfter(Verdict v, Instant at) {
    return new Verdict(
        v.email(), v.address(), v.status(), v.reason(), v.flags(), v.suggestion(), v.provider(), v.smtp(),
        v.detail(), v.attempts(), at, v.checkedAt(), v.durationMs());
  }

  private static Decision finalOf(
      CheckedAddress a, Status status, Reason reason, String detail, Attempt attempt, Instant started, Instant now) {
    return new Decision(
        base(a, status, reason, a.flags(), null, null, detail, attempt.number(), started, now), Disposition.FINAL);
  }

  private static Verdict base(
      CheckedAddress a,
      Status status,
      Reason reason,
      Flags flags,
      String provider,
      SmtpEvidence smtp,
      String detail,
      int attempts,
      Instant started,
      Instant now) {
    return new Verdict(
        a.input(), a.normalized(), status, reason, flags, a.suggestion(), provider, smtp, detail, attempts, null,
        now, Duration.between(started, now).toMillis());
  }

  private static SmtpEvidence evidence(HostContact host, SmtpReply reply) {
    if (host == null && reply == null) {
      return null;
    }
    return new SmtpEvidence(
        host == null ? null : host.mx(),
        host == null ? null : host.ip(),
        reply == null ? null : reply.code(),
        reply == null ? null : reply.enhanced(),
        reply == null ? null : reply.text(),
        host != null && host.tls());
  }
}
