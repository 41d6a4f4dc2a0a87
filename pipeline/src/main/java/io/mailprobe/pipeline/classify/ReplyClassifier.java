package io.mailprobe.pipeline.classify;

import static io.mailprobe.pipeline.classify.ReplyPhrases.ABOUT_US;
import static io.mailprobe.pipeline.classify.ReplyPhrases.DISABLED;
import static io.mailprobe.pipeline.classify.ReplyPhrases.GREYLIST;
import static io.mailprobe.pipeline.classify.ReplyPhrases.MAILBOX_BUSY;
import static io.mailprobe.pipeline.classify.ReplyPhrases.NO_SUCH_USER;
import static io.mailprobe.pipeline.classify.ReplyPhrases.QUOTA;
import static io.mailprobe.pipeline.classify.ReplyPhrases.RATE_LIMIT;
import static io.mailprobe.pipeline.classify.ReplyPhrases.RECIPIENT_POLICY;
import static io.mailprobe.pipeline.classify.ReplyPhrases.TOO_MANY_RECIPIENTS;

import io.mailprobe.pipeline.smtp.SessionFailure;
import io.mailprobe.pipeline.smtp.SmtpReply;
import io.mailprobe.pipeline.verdict.Reason;
import io.mailprobe.pipeline.verdict.Status;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns an SMTP reply, or the failure of a session, into what it means for one address: DESIGN §3, checked in order,
 * first match wins, the code and the RFC 3463 enhanced code before the text. A pure function.
 *
 * <p>Decisions where §3 leaves room, and why:
 *
 * <ul>
 *   <li>Row 3 runs before row 6, so a 5.1.1 whose text says blocked, Spamhaus, relay denied... is unknown/blocked:
 *       a sender that is refused must never turn an address undeliverable.
 *   <li>An enhanced 5.7.x is "about us" unless the text speaks only of the recipient (no such user, disabled, full,
 *       "Recipient address rejected: Access denied"): then it is unknown/ambiguous_rejection. Yandex answers
 *       "5.7.1 No such user!" and Proofpoint "5.7.1 ... User email address is marked as invalid": not proof of a
 *       missing mailbox (5.7.1 alone never is), and not a reason to back off the whole domain either.
 *   <li>"Recipient address rejected: Access denied" (Exchange Online Directory Based Edge Blocking, also Postfix
 *       check_recipient_access) is unknown/ambiguous_rejection, see {@link ReplyPhrases#RECIPIENT_POLICY}. A
 *       provider rule for Microsoft 365 may upgrade it; the generic classifier cannot tell the cases apart.
 *   <li>A 4xx that is about us (RBL, reverse DNS, reputation) is unknown/blocked with {@link
 *       Disposition#BACK_OFF_DOMAIN} (§4: back off on blocked replies), still never final and never undeliverable.
 *   <li>Quota words count only when the enhanced code is not about the system (X.3) or policy (X.7): Outlook's
 *       "450 4.7.3 Organization queue quota exceeded" is a domain-wide limit, not a full mailbox.
 *   <li>Rate words count as our rate only when the enhanced code is not about the mailbox (X.1, X.2): Yandex's "450
 *       4.2.1 The recipient has exceeded message rate limit" is one busy mailbox, retried like any other 4xx.
 *   <li>Row 6 texts are read for every 550–554, not only 550/551/553: Yahoo ("554 delivery error: dd This user
 *       doesn't have a ... account") and Verizon ("552 ... mailbox not found") use 554 and 552 for it, and row 3 has
 *       already taken every reply that is about us.
 *   <li>552 counts as "full" (row 5) only without an enhanced code or with 5.2.2, and not when its text says no such
 *       user; 552 5.2.3 / 5.3.4 are about message size, which a probe without DATA never meets.
 *   <li>Gmail's "5.2.1 The user you are trying to contact is receiving mail at a rate..." is not a disabled mailbox:
 *       unknown/ambiguous_rejection.
 * </ul>
 */
public final class ReplyClassifier {

  private static final Classification ACCEPTED = Classification.finalOf(Status.DELIVERABLE, Reason.ACCEPTED);
  private static final Classification NOT_FOUND =
      Classification.finalOf(Status.UNDELIVERABLE, Reason.MAILBOX_NOT_FOUND);
  private static final Classification DISABLED_MAILBOX =
      Classification.finalOf(Status.UNDELIVERABLE, Reason.MAILBOX_DISABLED);
  private static final Classification FULL = Classification.finalOf(Status.RISKY, Reason.MAILBOX_FULL);
  private static final Classification BLOCKED = Classification.finalOf(Status.UNKNOWN, Reason.BLOCKED);
  private static final Classification BLOCKED_FOR_NOW =
      new Classification(Status.UNKNOWN, Reason.BLOCKED, Disposition.BACK_OFF_DOMAIN);
  private static final Classification AMBIGUOUS =
      Classification.finalOf(Status.UNKNOWN, Reason.AMBIGUOUS_REJECTION);
  private static final Classification GREYLISTED =
      new Classification(Status.UNKNOWN, Reason.GREYLISTED, Disposition.RETRY);
  private static final Classification RATE_LIMITED =
      new Classification(Status.UNKNOWN, Reason.RATE_LIMITED, Disposition.BACK_OFF_DOMAIN);

  private ReplyClassifier() {}

  /**
   * Row 0: whether a reply is about the session rather than the mailbox, so that the address is asked again in a new
   * transaction or session instead of getting a verdict: too many recipients (452 4.5.3, or 552 as RFC 5321
   * §4.5.3.1.10 tells clients to read it), or a 421 that says neither "rate" nor "blocked" ("too many errors",
   * "closing transmission channel"). A 421 about our rate or reputation is row 2 instead: back off the domain.
   */
  public static boolean isSessionLevel(SmtpReply reply) {
    return isSessionLevel(ReplyFacts.of(Objects.requireNonNull(reply, "reply")));
  }

  private static boolean isSessionLevel(ReplyFacts r) {
    if (r.code() == 421) {
      return !r.says(ABOUT_US) && !r.says(RATE_LIMIT);
    }
    if (r.code() < 400) {
      return false;
    }
    if (r.subjectIs(5) && r.enhanced().detail() == 3) {
      return true; // X.5.3: too many recipients
    }
    // Postfix's recipient rate limit reads "450 4.7.1 Error: too many recipients from 192.0.2.1": the enhanced
    // code (policy) and "from" tell it apart from the per-transaction limit.
    return (r.code() == 452 || r.code() == 552)
        && r.enhanced() == null
        && r.says(TOO_MANY_RECIPIENTS)
        && !r.says(RATE_LIMIT);
  }

  /**
   * Rows 1–7: what a reply to RCPT TO means for the recipient. Never undeliverable for a 4xx nor for a reply about us.
   *
   * <p>A 4xx is read in this order: 4.2.2 or quota words → risky/mailbox_full; greylisting words → greylisted/RETRY;
   * rate words → rate_limited/BACK_OFF_DOMAIN; about us → blocked/BACK_OFF_DOMAIN; any other 421 →
   * rate_limited/BACK_OFF_DOMAIN; anything else → greylisted/RETRY. Callers check {@link #isSessionLevel} first; a
   * session-level reply handed here anyway is greylisted/RETRY (a 421 is rate_limited), never a final verdict.
   */
  public static Classification rcpt(SmtpReply reply) {
    Objects.requireNonNull(reply, "reply");
    int code = reply.code();
    if (code == 250 || code == 251) {
      return ACCEPTED; // row 1; the catch-all result later decides deliverable or risky
    }
    if (code < 400) {
      return AMBIGUOUS; // not a reply RCPT may give (RFC 5321 §4.3.2): no conclusion either way
    }
    ReplyFacts r = ReplyFacts.of(reply);
    Classification known = RCPT_ANSWERS.get(r);
    if (known != null) {
      return known;
    }
    Classification answer;
    if (code != 421 && isSessionLevel(r)) {
      answer = GREYLISTED; // row 0 reached rcpt(): the address must be asked again, never concluded
    } else {
      answer = r.transientFailure() ? transientRcpt(r) : permanentRcpt(r);
    }
    if (RCPT_ANSWERS.size() >= MEMORY_LIMIT) {
      RCPT_ANSWERS.clear();
    }
    RCPT_ANSWERS.put(r, answer);
    return answer;
  }

  /**
   * Classifications of RCPT replies by their facts (code, enhanced code, text without addresses): a server answers
   * every unknown recipient with the same words, so the phrase patterns (several microseconds per reply) run once per
   * distinct reply. Bounded: past {@link #MEMORY_LIMIT} replies the memory starts over.
   */
  private static final ConcurrentHashMap<ReplyFacts, Classification> RCPT_ANSWERS = new ConcurrentHashMap<>();

  static final int MEMORY_LIMIT = 4096;

  /** Distinct RCPT replies remembered now (for tests). */
  static int remembered() {
    return RCPT_ANSWERS.size();
  }

  /** Row 2: a 4xx to RCPT TO. */
  private static Classification transientRcpt(ReplyFacts r) {
    if (r.enhancedIs(2, 2) || (r.says(QUOTA) && quotaWordsCount(r))) {
      return FULL;
    }
    if (r.says(GREYLIST)) {
      return GREYLISTED;
    }
    // Rate words before "about us": Gmail's 4.7.28 says both "spam" and "rate limited", and the rate is the precise
    // part. Either way the domain is backed off.
    if (r.says(RATE_LIMIT) && rateWordsAreAboutUs(r)) {
      return RATE_LIMITED;
    }
    if (r.says(ABOUT_US)) {
      return BLOCKED_FOR_NOW;
    }
    if (r.code() == 421) {
      return RATE_LIMITED;
    }
    return GREYLISTED; // any other 4xx, "try again later" and "temporarily deferred" among them
  }

  /** Rows 3–7: a 5xx to RCPT TO. */
  private static Classification permanentRcpt(ReplyFacts r) {
    // Row 3: about us, by text first so that a 5.1.1 with "blocked" can never become undeliverable.
    if (r.says(ABOUT_US)) {
      return BLOCKED;
    }
    if (r.subjectIs(7)) {
      return speaksOfRecipient(r) ? AMBIGUOUS : BLOCKED;
    }
    if (r.says(RECIPIENT_POLICY)) {
      return AMBIGUOUS;
    }
    if (r.says(MAILBOX_BUSY)) {
      return AMBIGUOUS;
    }
    // Row 4.
    if (r.enhancedIs(2, 1) || r.says(DISABLED)) {
      return DISABLED_MAILBOX;
    }
    // Row 5.
    if (r.enhancedIs(2, 2)
        || (r.says(QUOTA) && quotaWordsCount(r))
        || (r.code() == 552 && r.enhanced() == null && !r.says(NO_SUCH_USER))) {
      return FULL;
    }
    // Row 6.
    if (r.enhanced() != null && isNoSuchMailboxCode(r.enhanced())) {
      return NOT_FOUND;
    }
    if (r.code() >= 550 && r.code() <= 554 && r.says(NO_SUCH_USER)) {
      return NOT_FOUND;
    }
    // Row 7.
    return AMBIGUOUS;
  }

  /**
   * Rows 8–9: what became of a recipient that never got an answer to RCPT TO.
   *
   * <ul>
   *   <li>{@code REJECTED} with a 5xx (banner, EHLO, MAIL FROM): unknown/blocked, final: the mailbox was never asked.
   *   <li>{@code REJECTED} with a 4xx: greylisting words → greylisted/RETRY; rate words → rate_limited/BACK_OFF_DOMAIN;
   *       about us → blocked/BACK_OFF_DOMAIN; any other 421 → rate_limited/BACK_OFF_DOMAIN; any other 4xx → greylisted/RETRY (§3 row 2: a 4xx is a
   *       reason to ask again, whichever command it answered; e.g. Postfix's "450 4.1.8 Sender address rejected:
   *       Domain not found" is about us and is retried after the back-off).
   *   <li>connect refused, proxy failure, closed connection, garbage: unknown/connection_failed; connect timeout or a
   *       silent server: unknown/timeout; TLS failure or TLS demanded: unknown/tls_required.
   *   <li>{@code SESSION_LIMIT} (reconnecting for 421 / 452 4.5.3 kept failing): unknown/blocked if the last reply
   *       was about us, unknown/rate_limited if there was one, else unknown/connection_failed. Final: §3 row 0 says
   *       this is when the address gets its unknown verdict.
   * </ul>
   */
  public static Classification failure(SessionFailure failure) {
    Objects.requireNonNull(failure, "failure");
    SmtpReply last = failure.lastReply();
    return switch (failure.kind()) {
      case REJECTED -> rejected(last);
      case CONNECTION_REFUSED, PROXY_FAILED, CONNECTION_CLOSED, PROTOCOL_ERROR ->
          Classification.finalOf(Status.UNKNOWN, Reason.CONNECTION_FAILED);
      case CONNECT_TIMEOUT, TIMEOUT -> Classification.finalOf(Status.UNKNOWN, Reason.TIMEOUT);
      case TLS_FAILED, TLS_REQUIRED -> Classification.finalOf(Status.UNKNOWN, Reason.TLS_REQUIRED);
      case SESSION_LIMIT -> {
        if (last == null) {
          yield Classification.finalOf(Status.UNKNOWN, Reason.CONNECTION_FAILED);
        }
        yield ReplyFacts.of(last).says(ABOUT_US)
            ? BLOCKED
            : Classification.finalOf(Status.UNKNOWN, Reason.RATE_LIMITED);
      }
    };
  }

  /** Row 8 and the 4xx before RCPT: the server refused the session or the sender. */
  private static Classification rejected(SmtpReply last) {
    if (last == null || !last.isTransient()) {
      return BLOCKED;
    }
    ReplyFacts r = ReplyFacts.of(last);
    if (r.says(GREYLIST)) {
      return GREYLISTED;
    }
    if (r.says(RATE_LIMIT)) {
      return RATE_LIMITED;
    }
    if (r.says(ABOUT_US)) {
      return BLOCKED_FOR_NOW;
    }
    if (r.code() == 421) {
      return RATE_LIMITED;
    }
    return GREYLISTED;
  }

  /** Whether a 5.7.x reply's text speaks only of the recipient (row 3 found nothing about us in it). */
  private static boolean speaksOfRecipient(ReplyFacts r) {
    return r.says(NO_SUCH_USER) || r.says(DISABLED) || r.says(QUOTA) || r.says(RECIPIENT_POLICY);
  }

  private static boolean quotaWordsCount(ReplyFacts r) {
    return !r.subjectIs(3) && !r.subjectIs(7);
  }

  private static boolean rateWordsAreAboutUs(ReplyFacts r) {
    return !r.subjectIs(1) && !r.subjectIs(2);
  }

  /** Row 6 codes: 5.1.0 other address status, 5.1.1 bad mailbox, 5.1.6 moved, 5.1.10 null MX, 5.4.1 no answer. */
  private static boolean isNoSuchMailboxCode(EnhancedCode e) {
    return e.klass() == 5
        && ((e.subject() == 1 && (e.detail() == 0 || e.detail() == 1 || e.detail() == 6 || e.detail() == 10))
            || e.is(4, 1));
  }
}
