package io.mailprobe.pipeline.classify;

import static io.mailprobe.pipeline.classify.RealReplies.parse;
import static org.assertj.core.api.Assertions.assertThat;

import io.mailprobe.pipeline.smtp.HostContact;
import io.mailprobe.pipeline.smtp.SessionFailure;
import io.mailprobe.pipeline.smtp.SessionFailure.Kind;
import io.mailprobe.pipeline.smtp.SmtpPhase;
import io.mailprobe.pipeline.smtp.SmtpReply;
import io.mailprobe.pipeline.verdict.Reason;
import io.mailprobe.pipeline.verdict.Status;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class ReplyClassifierTest {

  private static final String NAME = "[{index}] {0}";
  private static final String CORPUS = "io.mailprobe.pipeline.classify.RealReplies#";

  private static Classification rcpt(String wire) {
    return ReplyClassifier.rcpt(parse(wire));
  }

  private static Classification expected(Status status, Reason reason, Disposition disposition) {
    return new Classification(status, reason, disposition);
  }

  // ---- rows 1-7, by real replies ----

  @ParameterizedTest(name = NAME)
  @MethodSource(CORPUS + "accepted")
  void row1_acceptedRecipient(String source, String wire) {
    assertThat(rcpt(wire)).isEqualTo(expected(Status.DELIVERABLE, Reason.ACCEPTED, Disposition.FINAL));
  }

  @ParameterizedTest(name = NAME)
  @MethodSource(CORPUS + "mailboxNotFound")
  void row6_mailboxNotFound(String source, String wire) {
    assertThat(rcpt(wire)).isEqualTo(expected(Status.UNDELIVERABLE, Reason.MAILBOX_NOT_FOUND, Disposition.FINAL));
  }

  @ParameterizedTest(name = NAME)
  @MethodSource(CORPUS + "mailboxDisabled")
  void row4_mailboxDisabled(String source, String wire) {
    assertThat(rcpt(wire)).isEqualTo(expected(Status.UNDELIVERABLE, Reason.MAILBOX_DISABLED, Disposition.FINAL));
  }

  @ParameterizedTest(name = NAME)
  @MethodSource(CORPUS + "mailboxFull")
  void rows2and5_mailboxFull(String source, String wire) {
    assertThat(rcpt(wire)).isEqualTo(expected(Status.RISKY, Reason.MAILBOX_FULL, Disposition.FINAL));
  }

  @ParameterizedTest(name = NAME)
  @MethodSource(CORPUS + "blocked")
  void row3_permanentRefusalOfUsIsBlocked(String source, String wire) {
    assertThat(rcpt(wire)).isEqualTo(expected(Status.UNKNOWN, Reason.BLOCKED, Disposition.FINAL));
  }

  @ParameterizedTest(name = NAME)
  @MethodSource(CORPUS + "ambiguous")
  void row7_andRecipientPolicy_areAmbiguous(String source, String wire) {
    assertThat(rcpt(wire)).isEqualTo(expected(Status.UNKNOWN, Reason.AMBIGUOUS_REJECTION, Disposition.FINAL));
  }

  @ParameterizedTest(name = NAME)
  @MethodSource(CORPUS + "greylisted")
  void row2_otherTransientRepliesAreRetried(String source, String wire) {
    assertThat(rcpt(wire)).isEqualTo(expected(Status.UNKNOWN, Reason.GREYLISTED, Disposition.RETRY));
  }

  @ParameterizedTest(name = NAME)
  @MethodSource(CORPUS + "blockedForNow")
  void row2_transientRefusalOfUsBacksOffTheDomain(String source, String wire) {
    assertThat(rcpt(wire)).isEqualTo(expected(Status.UNKNOWN, Reason.BLOCKED, Disposition.BACK_OFF_DOMAIN));
  }

  @ParameterizedTest(name = NAME)
  @MethodSource(CORPUS + "rateLimited")
  void row2_rateLimitBacksOffTheDomain(String source, String wire) {
    assertThat(rcpt(wire)).isEqualTo(expected(Status.UNKNOWN, Reason.RATE_LIMITED, Disposition.BACK_OFF_DOMAIN));
  }

  // ---- row 0 ----

  @ParameterizedTest(name = NAME)
  @MethodSource(CORPUS + "sessionLevel")
  void row0_sessionLevelReplies(String source, String wire) {
    assertThat(ReplyClassifier.isSessionLevel(parse(wire))).isTrue();
    // Should a caller hand one to rcpt() anyway, the address is asked again, never concluded.
    assertThat(rcpt(wire).disposition()).isNotEqualTo(Disposition.FINAL);
  }

  @ParameterizedTest(name = NAME)
  @MethodSource({
    CORPUS + "accepted",
    CORPUS + "mailboxNotFound",
    CORPUS + "blocked",
    CORPUS + "blockedForNow",
    CORPUS + "greylisted"
  })
  void row0_mailboxRepliesAreNotSessionLevel(String source, String wire) {
    assertThat(ReplyClassifier.isSessionLevel(parse(wire))).isFalse();
  }

  @Test
  void row0_rateLimitedAndBlocked421AreNotSessionLevel() {
    RealReplies.rateLimited()
        .map(a -> (String) a.get()[1])
        .filter(w -> !w.equals("421 Temporary failure, please try again later."))
        .forEach(w -> assertThat(ReplyClassifier.isSessionLevel(parse(w))).as(w).isFalse());
  }

  // ---- invariants over the whole corpus ----

  private static final Pattern ABOUT_US_WORDS =
      Pattern.compile(
          "block|black ?list|spamhaus|reputation|dnsbl|banned|relay(ing)? (access )?(denied|not permitted)|spam",
          Pattern.CASE_INSENSITIVE);

  @ParameterizedTest(name = NAME)
  @MethodSource(CORPUS + "all")
  void aBlockedOrPolicyReplyIsNeverUndeliverable(String source, String wire) {
    SmtpReply reply = parse(wire);
    boolean policyCode = reply.enhanced() != null && reply.enhanced().startsWith("5.7.");
    boolean aboutUs = ABOUT_US_WORDS.matcher(reply.text()).find();
    if (policyCode || aboutUs) {
      assertThat(ReplyClassifier.rcpt(reply).status()).as(wire).isNotEqualTo(Status.UNDELIVERABLE);
    }
  }

  @ParameterizedTest(name = NAME)
  @MethodSource(CORPUS + "all")
  void aTransientReplyIsNeverUndeliverable(String source, String wire) {
    SmtpReply reply = parse(wire);
    if (reply.isTransient()) {
      assertThat(ReplyClassifier.rcpt(reply).status()).as(wire).isNotEqualTo(Status.UNDELIVERABLE);
    }
  }

  // ---- rule order and text matching, one case each ----

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # Row 3 before row 6: a 5.1.1 whose text is about us stays unknown (constructed on Postfix's template).
          550 5.1.1 <jane@example.com>: Recipient address rejected: blocked using zen.spamhaus.org | BLOCKED
          # Addresses are not read as text: a local part or domain that spells a reason misleads nobody.
          550 5.1.1 <blocked.user@example.com>: Recipient address rejected: User unknown in local recipient table | MAILBOX_NOT_FOUND
          550 5.1.1 <jane@spamhaus-fans.example>: Recipient address rejected: User unknown in local recipient table | MAILBOX_NOT_FOUND
          550 5.1.1 [blacklist@example.com]: Recipient address rejected: User unknown | MAILBOX_NOT_FOUND
          550 No such user (rbl.spam@example.com) | MAILBOX_NOT_FOUND
          # Whole words only: "locked" is not found in "Blocked", "rbl" not in "verbal".
          550 5.2.0 Mailbox locked | MAILBOX_DISABLED
          550 verbal unknown user | MAILBOX_NOT_FOUND
          # Case does not matter.
          550 USER UNKNOWN | MAILBOX_NOT_FOUND
          550 5.7.1 SERVICE UNAVAILABLE; CLIENT HOST [192.0.2.1] BLOCKED USING ZEN.SPAMHAUS.ORG | BLOCKED
          # 5.7.1 alone, with no text, is about us (row 3), never a missing mailbox.
          550 5.7.1 | BLOCKED
          # A bare 5xx with nothing to go on is row 7.
          550 Requested action not taken | AMBIGUOUS_REJECTION
          # 552 about message size is not a full mailbox (a probe never sends DATA).
          552 5.3.4 Message size exceeds fixed limit | AMBIGUOUS_REJECTION
          """)
  void ruleOrderAndWordMatching(String wire, Reason reason) {
    assertThat(rcpt(wire).reason()).isEqualTo(reason);
  }

  @Test
  void aReplyThatIsNotAnRcptAnswerConcludesNothing() {
    assertThat(rcpt("252 2.1.5 Cannot VRFY user, but will accept message"))
        .isEqualTo(expected(Status.UNKNOWN, Reason.AMBIGUOUS_REJECTION, Disposition.FINAL));
  }

  // ---- rows 8-9: session failures ----

  private static final HostContact MX = new HostContact("mx1.example.com", "127.0.0.1", false);

  private static Classification failure(Kind kind, SmtpPhase phase, String wire) {
    SmtpReply last = wire == null ? null : parse(wire);
    return ReplyClassifier.failure(new SessionFailure(kind, phase, MX, last, "test"));
  }

  @ParameterizedTest(name = "{0} at {1}: {2}")
  @CsvSource(
      delimiter = '|',
      nullValues = "null",
      textBlock =
          """
          # GMX banner refusal (Reacher test: gmx.net Nemesis, block listed IP), lines joined
          BANNER    | 554 gmx.net (mxgmx117) Nemesis ESMTP Service not available No SMTP service IP address is block listed. For explanation visit https://www.gmx.net/mail/senderguidelines?c=bl | BLOCKED | FINAL
          # Exim sender verification at MAIL FROM: the no-such-user words are about OUR sender, the mailbox was never asked
          MAIL_FROM | 550 Sender verify failed                                                                       | BLOCKED | FINAL
          # Gmail DMARC at MAIL FROM (FM 550 Gmail 5.7.1-2, shortened)
          MAIL_FROM | 550 5.7.1 Unauthenticated email from example.com is not accepted due to domain's DMARC policy. | BLOCKED | FINAL
          # Any 5xx at EHLO is row 8 too
          EHLO      | 550 5.5.1 Protocol error                                                                       | BLOCKED | FINAL
          # Postfix reject_unknown_sender_domain (FM 450 Infomaniak): about us, transient
          MAIL_FROM | 450 4.1.8 <probe@example.net>: Sender address rejected: Domain not found                      | BLOCKED | BACK_OFF_DOMAIN
          # Gmail at EHLO
          EHLO      | 421 4.7.0 Try again later, closing connection. (EHLO)                                          | RATE_LIMITED | BACK_OFF_DOMAIN
          # Yahoo at the banner (FM 421 Verizon Media TSS04)
          BANNER    | 421 4.7.0 [TSS04] Messages from 0.0.0.0 temporarily deferred due to user complaints - 4.16.55.1 | RATE_LIMITED | BACK_OFF_DOMAIN
          # Outlook at MAIL FROM (Microsoft EOP docs, 4.7.500)
          MAIL_FROM | 451 4.7.500 Server busy. Please try again later from [192.0.2.1]. (S77719)                   | RATE_LIMITED | BACK_OFF_DOMAIN
          # Gmail temporary failure at MAIL FROM (FM 451 Gmail 4.3.0): any other 4xx is retried
          MAIL_FROM | 451 4.3.0 Mail server temporarily rejected message. - gsmtp                                  | GREYLISTED | RETRY
          # greylisting at MAIL FROM
          MAIL_FROM | 451 4.7.1 Greylisted for 5 minutes                                                           | GREYLISTED | RETRY
          # a refusal whose reply got lost
          MAIL_FROM | null                                                                                         | BLOCKED | FINAL
          """)
  void row8_rejectedBeforeRcpt(SmtpPhase phase, String wire, Reason reason, Disposition disposition) {
    Classification c = failure(Kind.REJECTED, phase, wire);
    assertThat(c).isEqualTo(expected(Status.UNKNOWN, reason, disposition));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      nullValues = "null",
      textBlock =
          """
          CONNECTION_REFUSED | CONNECT  | null                                          | CONNECTION_FAILED
          CONNECT_TIMEOUT    | CONNECT  | null                                          | TIMEOUT
          TIMEOUT            | BANNER   | null                                          | TIMEOUT
          TIMEOUT            | RCPT_TO  | 250 2.1.0 Ok                                  | TIMEOUT
          CONNECTION_CLOSED  | RCPT_TO  | 250 2.1.5 Ok                                  | CONNECTION_FAILED
          PROTOCOL_ERROR     | BANNER   | null                                          | CONNECTION_FAILED
          PROXY_FAILED       | CONNECT  | null                                          | CONNECTION_FAILED
          TLS_FAILED         | STARTTLS | 220 2.0.0 Ready to start TLS                  | TLS_REQUIRED
          TLS_REQUIRED       | MAIL_FROM| 530 5.7.0 Must issue a STARTTLS command first | TLS_REQUIRED
          SESSION_LIMIT      | RCPT_TO  | 452 4.5.3 Error: too many recipients          | RATE_LIMITED
          SESSION_LIMIT      | RCPT_TO  | 421 4.7.0 mx.example.com Error: too many errors | RATE_LIMITED
          SESSION_LIMIT      | RCPT_TO  | 421 4.7.0 [x.xx.xx.xx] Our system has detected that this message is suspicious due to the very low reputation of the sending domain. | BLOCKED
          SESSION_LIMIT      | RCPT_TO  | null                                          | CONNECTION_FAILED
          """)
  void row9_sessionFailuresAreUnknownWithTheirCause(Kind kind, SmtpPhase phase, String wire, Reason reason) {
    assertThat(failure(kind, phase, wire)).isEqualTo(expected(Status.UNKNOWN, reason, Disposition.FINAL));
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void noSessionFailureIsEverUndeliverable(Kind kind) {
    for (String wire : new String[] {null, "550 5.1.1 User unknown", "554 No SMTP service here", "421 closing"}) {
      assertThat(failure(kind, SmtpPhase.MAIL_FROM, wire).status()).as(kind + " " + wire).isEqualTo(Status.UNKNOWN);
    }
  }

  @Test
  void repliesThatDifferOnlyInTheAddressAreClassifiedOnceAndAlike() {
    String text = "5.1.1 <%s>: Recipient address rejected: User unknown in memory-test table";
    Classification first = ReplyClassifier.rcpt(SmtpReply.of(550, String.format(text, "ann@example.com")));
    int remembered = ReplyClassifier.remembered();
    for (String who : new String[] {"bob@example.com", "carol@example.org", "dave+x@example.net"}) {
      assertThat(ReplyClassifier.rcpt(SmtpReply.of(550, String.format(text, who)))).isEqualTo(first);
    }
    assertThat(first.status()).isEqualTo(Status.UNDELIVERABLE);
    assertThat(first.reason()).isEqualTo(Reason.MAILBOX_NOT_FOUND);
    assertThat(ReplyClassifier.remembered()).isLessThanOrEqualTo(remembered);
    // The address is not part of what is remembered, but the words are: a blocked reply is not a missing mailbox.
    Classification blocked =
        ReplyClassifier.rcpt(SmtpReply.of(550, "5.7.1 <ann@example.com>: blocked using zen.spamhaus.org (memory-test)"));
    assertThat(blocked.reason()).isEqualTo(Reason.BLOCKED);
  }

  @Test
  void theMemoryOfRepliesIsBounded() {
    for (int i = 0; i < ReplyClassifier.MEMORY_LIMIT + 10; i++) {
      ReplyClassifier.rcpt(SmtpReply.of(550, "5.1.1 User unknown, bounded-test " + i));
    }
    assertThat(ReplyClassifier.remembered()).isLessThanOrEqualTo(ReplyClassifier.MEMORY_LIMIT);
    assertThat(ReplyClassifier.rcpt(SmtpReply.of(450, "4.7.1 Greylisted, please retry later")).reason())
        .isEqualTo(Reason.GREYLISTED);
  }
}
