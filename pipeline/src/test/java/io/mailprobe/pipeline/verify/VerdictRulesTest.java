package io.mailprobe.pipeline.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailprobe.pipeline.address.AddressParser;
import io.mailprobe.pipeline.address.ParsedAddress;
import io.mailprobe.pipeline.classify.Disposition;
import io.mailprobe.pipeline.dns.MailRoute;
import io.mailprobe.pipeline.intel.ProviderRule;
import io.mailprobe.pipeline.smtp.HostContact;
import io.mailprobe.pipeline.smtp.RcptOutcome;
import io.mailprobe.pipeline.smtp.SessionFailure;
import io.mailprobe.pipeline.smtp.SmtpPhase;
import io.mailprobe.pipeline.smtp.SmtpReply;
import io.mailprobe.pipeline.verdict.Flags;
import io.mailprobe.pipeline.verdict.Reason;
import io.mailprobe.pipeline.verdict.Status;
import io.mailprobe.pipeline.verdict.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerdictRulesTest {

  private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
  private static final HostContact MX = new HostContact("mx.example.test", "192.0.2.10", true);
  private static final ProviderRule YAHOO =
      new ProviderRule("yahoo", List.of("yahoodns.net"), List.of(), null, true, true, false, null, null);

  private final VerdictRules rules =
      new VerdictRules(new RetrySchedule(List.of(Duration.ofMinutes(1), Duration.ofMinutes(5)), 2, Duration.ofHours(1)));
  private final CheckedAddress jane = checked("Jane.Doe@Example.TEST");

  @Test
  void acceptedMailboxIsDeliverableWithTheServersWords() {
    Decision d = rules.forOutcome(jane, answered(250, "2.1.5 Ok"), CatchAllStatus.NO, null, Attempt.first(T0), T0, T0.plusMillis(412));
    Verdict v = d.verdict();
    assertThat(d.isFinal()).isTrue();
    assertThat(v.status()).isEqualTo(Status.DELIVERABLE);
    assertThat(v.reason()).isEqualTo(Reason.ACCEPTED);
    assertThat(v.email()).isEqualTo("Jane.Doe@Example.TEST");
    assertThat(v.address()).isEqualTo("Jane.Doe@example.test");
    assertThat(v.smtp().mx()).isEqualTo("mx.example.test");
    assertThat(v.smtp().code()).isEqualTo(250);
    assertThat(v.smtp().tls()).isTrue();
    assertThat(v.durationMs()).isEqualTo(412);
  }

  @Test
  void acceptanceOnACatchAllDomainIsRisky() {
    Verdict v = rules.forOutcome(jane, answered(250, "2.1.5 Ok"), CatchAllStatus.YES, null, Attempt.first(T0), T0, T0).verdict();
    assertThat(v.status()).isEqualTo(Status.RISKY);
    assertThat(v.reason()).isEqualTo(Reason.CATCH_ALL);
    assertThat(v.flags().catchAll()).isTrue();
  }

  @Test
  void acceptanceByAProviderWhoseAnswersProveNothingIsNeverDeliverable() {
    Verdict v = rules.forOutcome(jane, answered(250, "recipient <jane.doe@example.test> ok"), CatchAllStatus.UNKNOWN, YAHOO,
        Attempt.first(T0), T0, T0).verdict();
    assertThat(v.status()).isEqualTo(Status.UNKNOWN);
    assertThat(v.reason()).isEqualTo(Reason.PROVIDER_UNVERIFIABLE);
    assertThat(v.provider()).isEqualTo("yahoo");
  }

  @Test
  void aProvidersRejectionOfAMissingMailboxStillCounts() {
    Verdict v = rules.forOutcome(jane, answered(554, "delivery error: dd This user doesn't have a yahoo.com account"),
        CatchAllStatus.UNKNOWN, YAHOO, Attempt.first(T0), T0, T0).verdict();
    assertThat(v.status()).isEqualTo(Status.UNDELIVERABLE);
    assertThat(v.reason()).isEqualTo(Reason.MAILBOX_NOT_FOUND);
  }

  @Test
  void greylistingSchedulesRetriesThenGivesUpAsUnknown() {
    RcptOutcome grey = answered(450, "4.2.0 <jane.doe@example.test>: Recipient address rejected: Greylisted");
    Decision first = rules.forOutcome(jane, grey, CatchAllStatus.UNKNOWN, null, Attempt.first(T0), T0, T0);
    assertThat(first.disposition()).isEqualTo(Disposition.RETRY);
    assertThat(first.verdict().retryAfter()).isEqualTo(T0.plusSeconds(60));
    assertThat(first.verdict().reason()).isEqualTo(Reason.GREYLISTED);

    Attempt third = Attempt.first(T0).next(true).next(true);
    Decision last = rules.forOutcome(jane, grey, CatchAllStatus.UNKNOWN, null, third, T0, T0.plusSeconds(400));
    assertThat(last.isFinal()).isTrue();
    assertThat(last.verdict().status()).isEqualTo(Status.UNKNOWN);
    assertThat(last.verdict().reason()).isEqualTo(Reason.GREYLISTED);
    assertThat(last.verdict().retryAfter()).isNull();
    assertThat(last.verdict().attempts()).isEqualTo(3);
  }

  @Test
  void acceptanceAfterGreylistingIsDeliverableAndFlagged() {
    Verdict v = rules.forOutcome(jane, answered(250, "2.1.5 Ok"), CatchAllStatus.NO, null,
        Attempt.first(T0).next(true), T0, T0.plusSeconds(60)).verdict();
    assertThat(v.status()).isEqualTo(Status.DELIVERABLE);
    assertThat(v.flags().greylisted()).isTrue();
    assertThat(v.attempts()).isEqualTo(2);
  }

  @Test
  void aFailedSessionKeepsItsCauseAndLastReply() {
    SessionFailure refused = new SessionFailure(SessionFailure.Kind.REJECTED, SmtpPhase.MAIL_FROM, MX,
        SmtpReply.of(550, "5.7.1 Client host rejected: cannot find your reverse hostname"), "MAIL FROM refused");
    Verdict v = rules.forOutcome(jane, new RcptOutcome.Unanswered(jane.normalized(), refused), CatchAllStatus.UNKNOWN,
        null, Attempt.first(T0), T0, T0).verdict();
    assertThat(v.status()).isEqualTo(Status.UNKNOWN);
    assertThat(v.reason()).isEqualTo(Reason.BLOCKED);
    assertThat(v.smtp().enhanced()).isEqualTo("5.7.1");
    assertThat(v.detail()).isEqualTo("MAIL FROM refused");
  }

  @Test
  void dnsOutcomesWithoutExchangers() {
    Attempt a = Attempt.first(T0);
    assertThat(rules.forRoute(jane, new MailRoute.NoSuchDomain("NXDOMAIN"), a, T0, T0).verdict().reason())
        .isEqualTo(Reason.NO_SUCH_DOMAIN);
    assertThat(rules.forRoute(jane, new MailRoute.NullMx(), a, T0, T0).verdict().reason()).isEqualTo(Reason.NULL_MX);
    assertThat(rules.forRoute(jane, new MailRoute.NoMailServer("no MX, no A"), a, T0, T0).verdict().status())
        .isEqualTo(Status.UNDELIVERABLE);
    Decision dnsTrouble = rules.forRoute(jane, new MailRoute.LookupFailed("SERVFAIL"), a, T0, T0);
    assertThat(dnsTrouble.verdict().status()).isEqualTo(Status.UNKNOWN);
    assertThat(dnsTrouble.verdict().reason()).isEqualTo(Reason.DNS_ERROR);
    assertThat(dnsTrouble.disposition()).isEqualTo(Disposition.RETRY);
  }

  @Test
  void listsDecideSpamTrapsBeforeDisposableDomains() {
    CheckedAddress trap = new CheckedAddress("x@trap.test", jane.address(), Flags.NONE.withDisposable(true), null);
    assertThat(VerdictRules.fromLists(trap, true, T0)).get().extracting(Verdict::reason).isEqualTo(Reason.SPAM_TRAP);
    assertThat(VerdictRules.fromLists(trap, false, T0)).get().extracting(Verdict::reason).isEqualTo(Reason.DISPOSABLE);
    assertThat(VerdictRules.fromLists(jane, false, T0)).isEmpty();
  }

  private RcptOutcome answered(int code, String text) {
    return new RcptOutcome.Answered(jane.normalized(), SmtpReply.of(code, text), MX);
  }

  private static CheckedAddress checked(String input) {
    ParsedAddress.Valid valid = (ParsedAddress.Valid) AddressParser.parse(input);
    return new CheckedAddress(input, valid.address(), Flags.NONE, null);
  }
}
