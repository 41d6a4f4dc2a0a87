package io.mailprobe.pipeline.classify;

/**
 * The phrase lists of DESIGN §3, in one place so that they are easy to extend. Each entry is a regular-expression
 * fragment matched case-insensitively on whole words (see {@link PhraseSet}), after addresses have been removed from
 * the reply text. The order of the checks lives in {@link ReplyClassifier}; the lists only say what a phrase means.
 */
final class ReplyPhrases {

  private ReplyPhrases() {}

  /**
   * Row 3: the server objects to us (our IP, HELO, sender, reputation, message), not to the mailbox. A reply with any
   * of these is never undeliverable.
   */
  static final PhraseSet ABOUT_US =
      PhraseSet.of(
          "ABOUT_US",
          "blocked",
          "block ?lists?",
          "block ?listed",
          "black ?lists?",
          "black ?listed",
          "deny ?list(?:ed)?",
          "spamhaus",
          "spamcop",
          "sorbs",
          "uceprotect",
          "abusix",
          "barracudacentral",
          "barracuda reputation",
          "cloudmark",
          "senderbase",
          "sbrs",
          "dnsbls?",
          "rbls?",
          "spam",
          "junk ?mail",
          "reputation",
          // Postfix check_recipient_access REJECT and Exchange Online DBEB say "Recipient address rejected: Access
          // denied": that is about the recipient (see RECIPIENT_POLICY), so it is not counted against us here.
          "(?<!recipient address rejected:\\s{0,3})access denied",
          "administratively denied",
          "administrative prohibition",
          "banned",
          "relay(?:ing)? (?:access )?(?:denied|not permitted|disallowed|not allowed|prohibited)",
          "not permitted to relay",
          "unable to relay",
          "open relay",
          "as a relay",
          "reverse dns",
          "reverse hostname",
          "rdns",
          "ptr record",
          "cannot find your hostname",
          "client host rejected",
          "sender address rejected",
          "helo command rejected",
          "sender verify failed",
          "spf",
          "dmarc",
          "dkim",
          "unauthenticated",
          "spoof(?:ed|ing)?",
          "connection rejected",
          "connections (?:will )?not (?:be )?accepted",
          "not (?:yet )?authorized to (?:deliver|send)",
          "refused by proofpoint",
          "ipcheck\\.proofpoint\\.com",
          "security polic(?:y|ies)",
          "message filtered",
          "suspicious");

  /** Row 2: the server limits how fast we may go: back off the whole domain. */
  static final PhraseSet RATE_LIMIT =
      PhraseSet.of(
          "RATE_LIMIT",
          "rate ?limit(?:ed|ing|s)?",
          "too many connections",
          "too many concurrent",
          "concurrent connections",
          "connection rate",
          "sending rate",
          "unusual rate",
          "too (?:much|many) mail",
          "too many messages from",
          "too many recipients from",
          "server busy",
          "too fast",
          "slow down",
          "throttl(?:ed|ing)",
          "excessive volume",
          "unexpected volume",
          "user complaints",
          "limits for how many messages");

  /**
   * Row 2: words of greylisting proper. Weaker words ("try again later", "temporarily deferred", "please retry")
   * need no list: they land on "any other 4xx", which is greylisted too, unless the reply also says it is about us
   * or about our rate.
   */
  static final PhraseSet GREYLIST =
      PhraseSet.of("GREYLIST", "gr[ae]y ?list(?:ed|ing)?", "postgrey");

  /** Rows 2 and 5: the mailbox is over its quota. */
  static final PhraseSet QUOTA =
      PhraseSet.of(
          "QUOTA",
          "quota",
          "over ?quota",
          "mailbox (?:is )?full",
          "inbox (?:is )?full",
          "full mailbox",
          "mailbox size limit",
          "out of storage(?: space)?",
          "storage allocation",
          "too many messages (?:on|in) (?:the server|(?:the |his |her )?mailbox)",
          "bo[iî]te du destinataire pleine");

  /** Row 4: the mailbox exists but is switched off. */
  static final PhraseSet DISABLED =
      PhraseSet.of(
          "DISABLED",
          "disabled",
          "inactive",
          "deactivated",
          "suspended",
          "locked",
          "discontinued",
          "no longer active",
          "account (?:has )?expired");

  /**
   * Before row 4: the mailbox exists but takes no more mail for now (Gmail answers 5.2.1 for it, which would
   * otherwise read as "disabled").
   */
  static final PhraseSet MAILBOX_BUSY =
      PhraseSet.of("MAILBOX_BUSY", "receiving mail at a rate", "receiving mail too (?:quickly|fast)");

  /** Row 6: texts that say the mailbox does not exist. */
  static final PhraseSet NO_SUCH_USER =
      PhraseSet.of(
          "NO_SUCH_USER",
          "user unknown",
          "unknown user",
          "unknown recipient",
          "recipient unknown",
          "addressee unknown",
          "address unknown",
          "mailbox unknown",
          "unknown local part",
          "no such (?:user|mailbox|recipient|person|account|address)",
          "does not exist",
          "doesn't exist",
          "dosn't exist",
          "not exist",
          "(?:does not|doesn't) have an? (?:\\S+ )?account",
          "is no longer valid",
          "recipient rejected",
          "invalid recipient",
          "recipient invalid",
          "invalid mailbox",
          "mailbox (?:not found|unavailable|is unavailable|unallocated)",
          "not a valid (?:mailbox|(?:e-?mail )?address|recipient)",
          "no mailbox",
          "invalid (?:e-?mail )?address",
          "unrout(?:e)?able address",
          "user not found",
          "recipient not found",
          "email address could not be found",
          "not our customer",
          "undeliverable address",
          "address is marked as invalid",
          "not in recipient list",
          "utilisateur inconnu");

  /**
   * A policy that rejects this recipient, said about the recipient rather than about us. Exchange Online's
   * Directory Based Edge Blocking answers "550 5.4.1 Recipient address rejected: Access denied. AS(201806281)" for
   * a recipient missing from the tenant's directory, and Postfix's check_recipient_access REJECT answers
   * "554 5.7.1 ...: Recipient address rejected: Access denied" for a mailbox the admin closed to outsiders. Neither
   * is about our IP (so not blocked, which would back off the whole domain), and the same words cover mailboxes that
   * exist (Postfix policy, hybrid tenants whose directory is not synced), so not proof of absence either: ambiguous.
   */
  static final PhraseSet RECIPIENT_POLICY =
      PhraseSet.of("RECIPIENT_POLICY", "recipient address rejected:\\s{0,3}access denied");

  /** Row 0: the transaction holds too many recipients (RFC 5321 §4.5.3.1.10). */
  static final PhraseSet TOO_MANY_RECIPIENTS = PhraseSet.of("TOO_MANY_RECIPIENTS", "too many recipients");
}
