package io.mailprobe.pipeline.classify;

import io.mailprobe.pipeline.smtp.SmtpReply;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Real reply strings of mail servers, grouped by what DESIGN §3 makes of them. Each carries where it comes from.
 * Sources: FM = ActiveCampaign "SMTP Field Manual" (github ActiveCampaign/smtp-field-manual, data/codes/NNN.json,
 * provider named after it); Reacher = reacherhq/check-if-email-exists core/src/smtp/parser.rs (comments and tests,
 * domain in brackets as given there; where Reacher logs no reply code the code is marked "code assumed");
 * AfterShip = AfterShip/email-verifier error_test.go; Postfix/Exim = the servers' own reply texts as found in their
 * source and in public mail logs. IP addresses in the field manual are its own placeholders.
 */
final class RealReplies {

  private RealReplies() {}

  private static final Pattern LINE = Pattern.compile("^(\\d{3})([ -])(.*)$");

  /**
   * Parses a reply as a server prints it: one line "550 5.1.1 text" or several "550-..." lines joined by "\n", and
   * builds the {@link SmtpReply} the session layer would hand over (code, text lines without the code).
   */
  static SmtpReply parse(String wire) {
    List<String> lines = new ArrayList<>();
    int code = -1;
    for (String raw : wire.split("\n")) {
      Matcher m = LINE.matcher(raw);
      if (!m.matches()) {
        throw new IllegalArgumentException("not an SMTP reply line: " + raw);
      }
      code = Integer.parseInt(m.group(1));
      lines.add(m.group(3));
    }
    return SmtpReply.of(code, lines);
  }

  private static Arguments r(String source, String wire) {
    return Arguments.of(source, wire);
  }

  static Stream<Arguments> accepted() {
    return Stream.of(
        r("Gmail RCPT reply (Postfix logs of mail to gmail.com)", "250 2.1.5 OK a640c23a62f3a-a9a2b7fa1d7si123 - gsmtp"),
        r("Postfix smtpd", "250 2.1.5 Ok"),
        r("Exim", "250 Accepted"),
        r("Yahoo (accepts every RCPT, DESIGN §4)", "250 recipient <jane@yahoo.com> ok"),
        r("RFC 5321 §3.4 forwarding example", "251 User not local; will forward to <Postmaster@BBN-UNIX.ARPA>"));
  }

  static Stream<Arguments> mailboxNotFound() {
    return Stream.of(
        r("FM 550 Gmail 5.1.1",
            "550 5.1.1 The email account that you tried to reach does not exist. Please try double-checking the"
                + " recipient's email address for typos or unnecessary spaces. Learn more at"
                + " https://support.google.com/mail/?p=NoSuchUser - gsmtp"),
        r("Gmail 5.1.1 as it arrives on the wire, four lines",
            "550-5.1.1 The email account that you tried to reach does not exist. Please try\n"
                + "550-5.1.1 double-checking the recipient's email address for typos or\n"
                + "550-5.1.1 unnecessary spaces. Learn more at\n"
                + "550 5.1.1  https://support.google.com/mail/?p=NoSuchUser a1si7563893wmb.9 - gsmtp"),
        r("FM 550 iCloud 5.1.1", "550 5.1.1 <example@icloud.com>: user does not exist"),
        r("FM 550 Comcast 5.1.1", "550 5.1.1 Not our Customer"),
        r("FM 550 Comcast 5.1.1-2", "550 5.1.1 <example@comcast.net> recipient mailbox unallocated"),
        r("FM 550 Outlook.com 5.5.0 (text decides: 5.5.0 is no mailbox code)",
            "550 5.5.0 Requested action not taken: mailbox unavailable. [#.eop-nam12.prod.protection.outlook.com]"),
        r("FM 550 Zoho 5.1.1", "550 5.1.1 <example@zoho.com> User unknown"),
        r("FM 552 Zoho 5.1.1 (5.1.1 beats bare 552)", "552 5.1.1 <example@zoho.com> Mailbox delivery failure policy error"),
        r("FM 550 Proofpoint 5.1.1", "550 5.1.1 <email@example>: Recipient address rejected: User unknown"),
        r("FM 550 Proofpoint 5.1.1-2",
            "550 5.1.1 <email@example.com>: Recipient address rejected: undeliverable address: host"
                + " example.com[x.xx.xx.xx] said: 550 5.1.1 <email@example.com>: Recipient address rejected:"
                + " undeliverable address: host example.com[x.xx.xx.xx]"),
        r("FM 550 Proofpoint 5.1.1-3", "550 5.1.1 User Unknown"),
        r("FM 550 Proofpoint 5.1.1-4",
            "550 5.1.1 - This is not a valid email address. Please verify that you have the correct email address for"
                + " your recipient."),
        r("FM 550 Barracuda 1 (enhanced code after cuda_nsu)", "550 cuda_nsu 5.1.1 <email@example.com>... User unknown"),
        r("FM 550 Barracuda 2", "550 No such user (email@example.com)"),
        r("FM 550 Symantec 5.1.1", "550 Invalid recipient <email@example.com> (#5.1.1)"),
        r("FM 554 Verizon Media (Yahoo) 5.5.4",
            "554 delivery error: dd This user doesn't have a example.com account (example@example.com) [-9] -"
                + " example.yahoo.com"),
        r("FM 554 Verizon Media (Yahoo) 5.5.4-6",
            "554 delivery error: dd example@example.com is no longer valid. [-20] - example.yahoo.com"),
        r("FM 552 Verizon Media 5.1.1 (552 with no-such-user text)",
            "552 1 Requested mail action aborted, mailbox not found"),
        r("Postfix smtpd local_recipient_maps",
            "550 5.1.1 <jane@example.com>: Recipient address rejected: User unknown in local recipient table"),
        r("Postfix smtpd virtual_mailbox_maps",
            "550 5.1.1 <jane@example.com>: Recipient address rejected: User unknown in virtual mailbox table"),
        r("Postfix smtpd virtual_alias_maps (Reacher comment)",
            "550 5.1.1 <jane@example.com>: Recipient address rejected: User unknown in virtual alias table"),
        r("Postfix smtpd relay_recipient_maps (Reacher comment)",
            "550 5.1.1 <jane@example.com>: Recipient address rejected: User unknown in relay recipient table"),
        r("Exim, unknown local part (openwrt.org bounce on the Linux kernel list)", "550 Unrouteable address"),
        r("cPanel Exim (Reacher comment, @medipro.co.uk)", "550 No Such User Here"),
        r("RFC 821 example transaction", "550 No such user here"),
        r("Exim callout relayed (Reacher comment)",
            "550-Callout verification failed:\n550 550 No Such User Here"),
        r("qmail style (Reacher comment)", "550 5.1.1 Sorry, no mailbox here by that name"),
        r("Reacher comment (@parkwayhonda.com)", "554 Unknown Recipient (#5.1.1)"),
        r("Virgin Media (Reacher test)", "550 5.1.1 MXIN501 mailbox foo@bar.baz unknown"),
        r("Reacher comment (@4polymer.com)", "550 5.1.1 <foo@bar.baz>  Recipient not found."),
        r("Reacher comment (@sante.fr)", "550 5.1.1 Utilisateur inconnu"),
        r("Reacher comment (@sim.com)", "550 5.1.1 recipient is not exist"),
        r("Reacher comment (@aconsa.com.mx), code assumed", "550 No such person at this address"),
        r("Facebook (Reacher comment)",
            "550 5.1.1 RCP-P1 Domain facebook.com no longer available"
                + " https://www.facebook.com/postmaster/response_codes?ip=3.80.111.155#RCP-P1"),
        r("Reacher comment, 5.2.0 with text", "550 5.2.0 No such mailbox"),
        r("Reacher comment (@biotech-calendar.com)",
            "550 5.1.1 <foo@bar.baz>: Email address could not be found, or was misspelled (G8)"),
        r("RFC 5321 §4.2.2 text (Reacher comment)", "550 Requested action not taken: mailbox unavailable"),
        r("Reacher comment (@etu.uca.fr)", "550 5.5.0 Requested actions not taken as the mailbox is unavailable"),
        r("Reacher comment", "550 Unknown user"),
        r("AfterShip error_test.go", "550 This mailbox does not exist"),
        r("Exchange Server NDR text (Microsoft docs, RESOLVER.ADR.RecipientNotFound)",
            "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup"));
  }

  static Stream<Arguments> mailboxDisabled() {
    return Stream.of(
        r("FM 550 Gmail 5.2.1",
            "550 5.2.1 The email account that you tried to reach is disabled. Learn more at"
                + " https://support.google.com/mail/?p=DisabledUser - gsmtp"),
        r("FM 554 Verizon Media (Yahoo) 5.5.4-1",
            "554 delivery error: dd Sorry, your message to example@example.com cannot be delivered. This mailbox is"
                + " disabled (554.30). - example.yahoo.com"),
        r("FM 550 Mail.ru 1 (row 4 before row 6)",
            "550 Message was not accepted -- invalid mailbox. Local mailbox example@mail.ru is unavailable: account is"
                + " disabled"),
        r("FM 550 AT&T 5.2.1 (code 5.2.1 decides: row 4 before row 6)",
            "550 5.2.1 <EXAMPLE@PRODIGY.NET>... Addressee unknown, relay=[x.xx.xx.xx]"),
        r("FM 550 AT&T 5.2.1-2",
            "550 5.2.1 <example@prodigy.net>... blank mailhost - invalid address, relay=[x.xx.xx.xx]"),
        r("Daum/hanmail.net (Reacher comment)", "550 5.2.1 RACT 192.0.2.1: Mailbox is inactive: <USER@hanmail.net>"),
        r("Yahoo (Reacher comment)",
            "554 delivery error: Sorry your message to <jane@yahoo.com> cannot be delivered. This account has been"
                + " disabled or discontinued"),
        r("Gmail 554 (Reacher comment)",
            "554 The email account that you tried to reach is disabled. Learn more at"
                + " https://support.google.com/mail/?p=DisabledUser"));
  }

  static Stream<Arguments> mailboxFull() {
    return Stream.of(
        r("FM 452 Google 4.2.2 (4xx full)",
            "452 4.2.2 The email account that you tried to reach is over quota. Please direct the recipient to"
                + " https://support.google.com/mail/?p=OverQuotaTemp - gsmtp"),
        r("Gmail 4.2.2 (Reacher comment)",
            "452 4.2.2 The recipient's inbox is out of storage space. Please direct the recipient to"
                + " https://support.google.com/mail/?p=OverQuotaTemp"),
        r("FM 552 Google 5.2.2",
            "552 5.2.2 The email account that you tried to reach is over quota. Please direct the recipient to"
                + " https://support.google.com/mail/?p=OverQuotaPerm - gsmtp"),
        r("FM 552 Yandex 5.2.2", "552 5.2.2 Mailbox size limit exceeded"),
        r("FM 552 Apple iCloud 5.2.2", "552 5.2.2 <example@icloud.com>: user is overquota"),
        r("FM 552 Orange 5.1.1 (quota text, row 5 before row 6)",
            "552 5.1.1 Boite du destinataire pleine. Recipient overquota. OFR_417 [417]"),
        r("FM 552 Free 5.2.2", "552 5.2.2 user quota exceeded (UserSearch)"),
        r("FM 554 Free 5.2.2",
            "554 5.2.2 <example@free.fr>: Recipient address rejected: Quota exceeded (mailbox for user is full)"),
        r("FM 552 Comcast 5.1.1", "552 5.1.1 <example@comcast.net> recipient rejected - extended quota violation"),
        r("FM 552 GMX", "552 Requested mail action aborted: exceeded storage allocation Quota exceeded."),
        r("Reacher comment", "550 user has too many messages on the server"));
  }

  /** 5xx about us: unknown/blocked, final. */
  static Stream<Arguments> blocked() {
    return Stream.of(
        r("FM 550 Gmail 5.7.1",
            "550 5.7.1 [x.xx.xx.xx] Our system has detected that this message is likely suspicious due to the very low"
                + " reputation of the sending domain. To best protect our users from spam, the message has been"
                + " blocked. Please visit https://support.google.com/mail/answer/188131 for more information. - gsmtp"),
        r("FM 550 Gmail 5.7.1-2",
            "550 5.7.1 Unauthenticated email from example.com is not accepted due to domain's DMARC policy. Please"
                + " contact the administrator of example.com domain if this was a legitimate mail. Please visit"
                + " https://support.google.com/mail/answer/2451690 to learn about the DMARC initiative. - gsmtp"),
        r("Gmail NotAuthorizedError (Google Workspace SMTP error reference)",
            "550-5.7.1 [192.0.2.1] The IP you're using to send mail is not authorized to send email directly to our\n"
                + "550-5.7.1 servers. Please use the SMTP relay at your service provider instead. Learn more at\n"
                + "550 5.7.1  https://support.google.com/mail/?p=NotAuthorizedError - gsmtp"),
        r("FM 550 Verizon 5.0.0", "550 relaying denied for <example@example.com>"),
        r("FM 550 iCloud 5.7.1",
            "550 5.7.1 [CS01] Message rejected due to local policy. Please visit"
                + " https://support.apple.com/en-us/HT204137"),
        r("FM 550 iCloud 5.7.1-3",
            "550 5.7.1 Your email was rejected due to having a domain present in the Spamhaus DBL -- see"
                + " https://www.spamhaus.org/dbl/"),
        r("FM 554 Apple 5.7.1", "554 5.7.1 <example@icloud.com>: Relay access denied"),
        r("FM 550 Comcast 5.2.0 (DMARC text beats the 5.2.x code)",
            "550 5.2.0 Message rejected due to DMARC. Please see"
                + " http://postmaster.comcast.net/smtp-error-codes.php#DM000001"),
        r("FM 550 Outlook 5.7.1",
            "550 5.7.1 Service unavailable, MailFrom domain is listed in Spamhaus. To request removal from this list"
                + " see https://www.spamhaus.org/query/lookup/ (S8002) [#.eop-nam02.prod.protection.outlook.com]"),
        r("Exchange Online 5.7.606 (pastebin EH1TUb0X; Reacher comment)",
            "550 5.7.606 Access denied, banned sending IP [185.234.72.45]. To request removal from this list please"
                + " visit https://sender.office.com/ and follow the directions. For more information please go to"
                + " http://go.microsoft.com/fwlink/?LinkID=526655 AS(1430)"),
        r("Exchange Online IP block list (Microsoft EOP docs, AS(1450))",
            "550 5.7.1 Service unavailable, Client host [192.0.2.1] blocked using Spamhaus. To request removal from"
                + " this list see https://www.spamhaus.org/query/ip/192.0.2.1 AS(1450)"),
        r("Outlook.com SC-001 (Outlook.com postmaster error list)",
            "550 SC-001 (BAY004-MC1F12) Unfortunately, messages from 192.0.2.1 weren't sent. Please contact your"
                + " Internet service provider since part of their network is on our block list."),
        r("FM 550 Mail.ru 2",
            "550 spam message rejected. Please visit http://help.mail.ru/notspam-support/id?c=7y4ytdHbuOGv3O50NYTwpz1"
                + " or report details to abuse@corp.mail.ru. Error code: B5322EEFE1B8DBD174EEDCAFA7F08435. ID: #"),
        r("FM 550 Yandex 5.7.1 (5.7.x, nothing about the recipient)", "550 5.7.1 Policy rejection on the target address"),
        r("FM 550 Yandex 5.7.1-3", "550 5.7.1 Email rejected per DMARC policy for mail.ru #"),
        r("FM 550 AT&T 5.7.1",
            "550 5.7.1 Connections not accepted from servers without a valid sender example.com. Fix reverse DNS for"
                + " x.xx.xx.xx"),
        r("FM 550 Zoho 5.7.1", "550 5.7.1 Email rejected per DMARC policy for zoho.com"),
        r("FM 554 Zoho 5.7.1", "554 5.7.1 Email cannot be delivered. Reason: Email flagged as Spam."),
        r("FM 553 Zoho 5.1.1 (relay text beats the code)", "553 Relaying disallowed"),
        r("FM 550 Mimecast 1",
            "550 Administrative prohibition - envelope blocked - https://community.mimecast.com/docs/DOC-1369#550 [#]"),
        r("FM 550 Mimecast 2",
            "550 Rejected by header based Anti-Spoofing policy: email@example.com -"
                + " https://community.mimecast.com/docs/DOC-1369#550 [#]"),
        r("FM 550 Mimecast 3",
            "550 Rejected by header based manually Blocked Senders: email@example.com -"
                + " https://community.mimecast.com/docs/DOC-1369#550 [#]"),
        r("FM 550 Mimecast 4", "550 Envelope blocked - User Entry - https://community.mimecast.com/docs/DOC-1369#550 [#]"),
        r("FM 554 Mimecast 1",
            "554 Email rejected due to security policies - https://community.mimecast.com/docs/DOC-1369#554 [#]"),
        r("Mimecast (Reacher comment)",
            "550 csi.mimecast.org Poor Reputation Sender. - https://community.mimecast.com/docs/DOC-1369#550"
                + " [6ATVl4DjOvSA6XNsWGoUFw.us31]"),
        r("FM 550 Proofpoint 5.7.1-2", "550 5.7.1 Relaying denied"),
        r("FM 554 Proofpoint 5.7.1", "554 5.7.1 <email@example>: Relay access denied"),
        r("Proofpoint (Reacher comment), code assumed", "554 Blocked - see https://ipcheck.proofpoint.com/?ip=23.129.64.192"),
        r("Proofpoint at lmco.com (Reacher comment)",
            "550 5.7.0  Mail from 18.234.87.196 refused by Proofpoint Reputation Services.  SENDER please see and take"
                + " action: https://support.proofpoint.com/dnsbl-lookup.cgi?18.234.87.196"),
        r("FM 550 Barracuda 3", "550 Blocked"),
        r("FM 550 Barracuda 4", "550 rejecting spoofed message"),
        r("FM 554 Barracuda 1", "554 rejected due to spam URL in content"),
        r("FM 554 Barracuda 2", "554 rejecting banned content"),
        r("Barracuda (Reacher comment), code assumed",
            "550 JunkMail rejected - (gmail.com) [193.218.118.140]:46615 is in an RBL:"
                + " http://www.barracudanetworks.com/reputation/?pr=1&ip=193.218.118.140"),
        r("Exim dnslists default message, Barracuda list (Reacher comment), code assumed",
            "550 Rejected because 23.129.64.213 is in a black list at b.barracudacentral.org"),
        r("Exim default ACL", "550 relay not permitted"),
        r("FM 554 Trend Micro 1", "554 5.7.1 <example@example.com>: Recipient address rejected: BLOCK-SEND-ER."),
        r("FM 554 Trend Micro 3", "554 5.7.1 <example@example.com>: Recipient address rejected: NO-DOMAIN."),
        r("FM 553 Email Security.cloud 5.7.1 (code found in text)",
            "553 Message filtered. Refer to the Troubleshooting page at http://www.symanteccloud.com/troubleshooting"
                + " for more information. (#5.7.1)"),
        r("FM 553 Email Security.cloud 5.7.1-2",
            "553 you are trying to use me [xx.messagelabs.com] as a relay, but I have not been configured to let you"
                + " [x.xx.xx.xx, example.com] do this. Please visit www.symanteccloud.com/troubleshooting for more"
                + " details about this error message and instructions to resolve this issue. (#5.7.1)"),
        r("FM 554 Rambler 5.7.1", "554 5.7.1 Spam message rejected; If this is not spam contact abuse"),
        r("FM 554 Yandex 5.7.1", "554 5.7.1 [1] Message rejected under suspicion of SPAM; https://ya.cc/1IrBc ##"),
        r("FM 554 Verizon Media (Yahoo) 5.7.9",
            "554 5.7.9 Message not accepted for policy reasons. See https://help.yahoo.com/kb/postmaster/SLN7253.html"),
        r("Yahoo BL21 (Yahoo postmaster error codes)",
            "553 5.7.1 [BL21] Connections will not be accepted from 192.0.2.1, because the ip is in Spamhaus's list;"
                + " see http://postmaster.yahoo.com/errors/550-bl23.html"),
        r("FM 551 ImprovMX 5.7.1",
            "551 5.7.1 Due to the very low reputation of the sending domain, this message has been blocked (Code 2)."),
        r("Postfix reject_rbl_client (task brief)",
            "550 5.7.1 Service unavailable; client [192.0.2.1] blocked using zen.spamhaus.org"),
        r("Postfix reject_rbl_client, default 554",
            "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org;"
                + " https://www.spamhaus.org/query/ip/192.0.2.1"),
        r("Postfix client access (Reacher test)", "554 5.7.1 <mta.voipdir.net[]>: Client host rejected: Access denied"),
        r("Postfix smtpd reject_unauth_destination", "554 5.7.1 <jane@example.com>: Relay access denied"),
        r("Postfix sender access (pastebin q07qm310)",
            "554 5.7.1 <amurdoch.cc@gmail.com>: Sender address rejected: Access denied"),
        r("Postfix relay denied on recipient (pastebin iqT2SapW)",
            "554 5.7.1 <csj-lx@sohu.com>: Recipient address rejected: Relay access denied"),
        r("Sophos (Reacher comment)",
            "550 5.7.1 Service unavailable; Client host [147.75.45.223] is blacklisted. Visit"
                + " https://www.sophos.com/en-us/threat-center/ip-lookup.aspx?ip=147.75.45.223 to request delisting"),
        r("Trend Micro ERS (Reacher comment)",
            "550 5.7.1 Mail from 23.129.64.183 has been blocked by Trend Micro Email Reputation Service."),
        r("helsinki.fi, Abusix (Reacher comment)",
            "550 5.3.0 <foo@bar.baz>... Mail from 147.75.45.223 rejected by Abusix blacklist"),
        r("Comcast DNSBL (Reacher comment), code assumed",
            "554 resimta-h1p-037598.sys.comcast.net resimta-h1p-037598.sys.comcast.net 5.135.185.166 found on one or"
                + " more DNSBLs, see http://postmaster.comcast.net/smtp-error-codes.php#BL000001"),
        r("Amazon (Reacher comment), code assumed",
            "554 smtp-fw-9107.amazon.com; SBRS score too low: http://www.senderbase.org/"),
        r("Symantec (Reacher comment), code assumed",
            "550 Connection rejected by policy [7.3] 38206, please visit"
                + " https://support.symantec.com/en_US/article.TECH246726.html for more details about this error"
                + " message."),
        r("Reacher comment", "550 sorry, mail from your location [5.79.109.48] is administratively denied (#5.7.1)"),
        r("Reacher comment", "550 5.7.1 Recipient not authorized, your IP has been found on a block list"),
        r("Reacher comment", "550 5.7.1 IP address blacklisted by recipient"),
        r("AfterShip error_test.go", "550 spamhaus"));
  }

  /** 5xx that prove nothing either way: unknown/ambiguous_rejection. */
  static Stream<Arguments> ambiguous() {
    return Stream.of(
        r("FM 550 Office 365 5.4.1 (Exchange Online DBEB)",
            "550 5.4.1 [email@example.com]: Recipient address rejected: Access denied [example.com]"),
        r("Exchange Online DBEB with AS code (Suped article on AS(201806281))",
            "550 5.4.1 Recipient address rejected: Access denied. AS(201806281)"),
        r("Exchange Online GCC DBEB (pastebin 32NXKByX)",
            "550 5.4.1 [trinik.lemon@dhs.ga.gov]: Recipient address rejected: Access denied"
                + " [CY1GCC01FT007.eop-gcc01.prod.protection.outlook.com]"),
        r("FM 550 Barracuda 5.4.1 (DBEB behind Barracuda)",
            "550 cuda_nsu 5.4.1 [email@example.com]: Recipient address rejected: Access denied [example.com]"),
        r("Postfix check_recipient_access REJECT (pastebin Mss5gbpb)",
            "554 5.7.1 <gratnam1@example.com>: Recipient address rejected: Access denied"),
        r("FM 550 Yandex 5.7.1-2 (5.7.1 is not proof)", "550 5.7.1 No such user!"),
        r("FM 550 Proofpoint 5.7.1",
            "550 5.7.1 <email@example.com>: Recipient address rejected: User email address is marked as invalid."),
        r("FM 554 ZeroSpam 5.7.1", "554 5.7.1 <email@example.com>: Recipient address rejected: Not in recipient list"),
        r("FM 554 Trend Micro 2", "554 5.7.1 <example@example.com>: Recipient address rejected: Invalid-Recipient."),
        r("Gmail via Reacher comment (5.7.1 is not proof)",
            "550 5.7.1 Email doesn't exist. Please forward it or send it to contact@magency.fr"),
        r("FM 550 Gmail 5.2.1-2 (busy mailbox, not disabled)",
            "550 5.2.1 The user you are trying to contact is receiving mail at a rate that prevents additional messages"
                + " from being delivered. For more information, please visit"
                + " https://support.google.com/mail/?p=ReceivingRatePerm - gsmtp"),
        r("FM 554 Outlook 5.2.122",
            "554 5.2.122 The recipient has exceeded their limit for the number of messages they can receive per hour."
                + " For more information go to http://go.microsoft.com/fwlink/?LinkId=526653. (#) [outlook.com]"),
        r("FM 554 Verizon Media 5.5.4-2", "554 delivery error: dd Requested mail action aborted - example.yahoo.com"),
        r("FM 554 Verizon Media 5.5.4-3",
            "554 Message not allowed - [PH01] Email not accepted for policy reasons. Please visit"
                + " https://help.yahoo.com/kb/postmaster/SLN5067.html [120]"),
        r("FM 554 Verizon Media 5.5.4-4", "554 Message not allowed - Headers are not RFC compliant[291]"),
        r("FM 551 Yandex 5.3.0", "551 5.3.0 Unknown error"),
        r("FM 553 Google 5.1.2 (syntax is the precheck's job)",
            "553 5.1.2 The recipient address <.@gmail.com> is not a valid RFC-5321 address. - gsmtp"),
        r("FM 554 Zoho 5.2.3", "554 5.2.3 MailPolicy violation Error delivering to mailboxes,mx.zoho.com"));
  }

  /** 4xx to retry on the greylist schedule. */
  static Stream<Arguments> greylisted() {
    return Stream.of(
        r("postgrey via Postfix (vbird.org log)",
            "450 4.2.0 <dmtsai@www.centos.vbird>: Recipient address rejected: Greylisted, see"
                + " http://postgrey.schweikert.ch/help/www.centos.vbird.html"),
        r("postgrey, 4.7.1 variant (nodemailer error sample)",
            "450 4.7.1 <greylisted@strict-server.com>: Recipient address rejected: Greylisted, see"
                + " http://postgrey.schweikert.ch/help/strict-server.com.html"),
        r("FM 450 ZeroSpam 4.2.0",
            "450 4.2.0 <email@example.com>: Recipient address rejected: example.com greylisted for 60 seconds by"
                + " ZEROSPAM"),
        r("FM 451 Barracuda 4.7.1",
            "451 4.7.1 <email@example.com>: Recipient address rejected: Greylisted for 5 minutes"),
        r("FM 451 Barracuda 4.7.1-2", "451 4.7.1 Try again later"),
        r("fsf.org greylisting with reverse-DNS note (Reacher comment), code assumed",
            "450 You dont seem to have a reverse dns entry. Come back later. You are greylisted for 20 minutes. See"
                + " http://www.fsf.org/about/systems/greylisting"),
        r("FM 450 Google 4.2.1 (one busy mailbox, not our rate)",
            "450 4.2.1 The user you are trying to contact is receiving mail at a rate that prevents additional messages"
                + " from being delivered. Please resend your message at a later time. If the user is able to receive"
                + " mail at that time, your message will be delivered. For more information, please visit"
                + " https://support.google.com/mail/?p=ReceivingRate - gsmtp"),
        r("FM 450 Yandex 4.2.1 (mailbox rate, X.2.x)",
            "450 4.2.1 The recipient has exceeded message rate limit. Try again later."),
        r("FM 450 Verizon Media 4.0.0", "450 User is receiving mail too quickly"),
        r("FM 450 ImprovMX 4.2.1", "450 4.2.1 Please try again later. (#id-5.9.4)"),
        r("FM 450 Comcast 4.2.0", "450 4.2.0 <example@comcast.net> - Recipient temporarily unavailable"),
        r("FM 451 Gmail 4.3.0", "451 4.3.0 Mail server temporarily rejected message. - gsmtp"),
        r("FM 451 Mimecast 3 (4xx never undeliverable)",
            "451 Invalid Recipient - https://community.mimecast.com/docs/DOC-1369#451 [#]"),
        r("FM 451 Mimecast 2",
            "451 Internal resource temporarily unavailable - https://community.mimecast.com/docs/DOC-1369#451 [#]"),
        r("FM 451 Office 365 4.7.0",
            "451 4.7.0 Temporary server error. Please try again later. PRX4 NextHop: example.com [example.com]"),
        r("Postfix reject_unverified_recipient (python test data)",
            "450 4.1.1 <jane@example.com>: Recipient address rejected: unverified address"),
        r("Postfix soft_bounce / unknown_local_recipient_reject_code=450 (4xx never undeliverable)",
            "450 4.1.1 <jane@example.com>: Recipient address rejected: User unknown in local recipient table"),
        r("FM 452 Yahoo 4.0.0", "452 temporary domain failure <example@example.com>"),
        r("FM 452 Microsoft 4.3.1 (system storage, not the mailbox)",
            "452 4.3.1 Insufficient system resources (TSTE) [outlook.com]"),
        r("FM 450 Outlook 4.7.3 (organization quota, not the mailbox)",
            "450 4.7.3 Organization queue quota exceeded. [outlook.com]"),
        r("FM 450 Email Security.cloud",
            "450 Requested action aborted [9] #-#, please visit"
                + " https://knowledge.broadcom.com/external/article?legacyId=TECH246726 for more details about this"
                + " error message."),
        r("FM 450 Barracuda 4.7.1",
            "450 cuda_nsu 4.7.1 <email@example.com>: Recipient address rejected: Policy Rejection- Abuse. Go away."));
  }

  /** 4xx about us: unknown/blocked, back off the domain. */
  static Stream<Arguments> blockedForNow() {
    return Stream.of(
        r("Postfix reject_unknown_client_hostname (Reacher comment)",
            "450 4.7.25 Client host rejected: cannot find your hostname, [147.75.45.223]"),
        r("Postfix reject_unknown_reverse_client_hostname (Reacher comment)",
            "450 4.7.1 Client host rejected: cannot find your reverse hostname, [147.75.45.223]"),
        r("SpamCop (Reacher comment), code assumed", "450 Blocked - see https://www.spamcop.net/bl.shtml?23.129.64.211"),
        r("Reacher comment, code as Postfix defer_unauth_destination sends it", "454 4.7.1 <jane@example.com>: Relay access denied"),
        r("FM 450 Infomaniak 4.1.8", "450 4.1.8 Sender address rejected: Domain not found (in reply to RCPT TO command))"),
        r("FM 421 Google 4.7.0",
            "421 4.7.0 [x.xx.xx.xx] Our system has detected that this message is suspicious due to the very low"
                + " reputation of the sending domain. To best protect our users from spam, the message has been"
                + " blocked. Please visit https://support.google.com/mail/answer/188131 for more information. - gsmtp"),
        r("FM 421 Google 4.7.0-2",
            "421 4.7.0 [x.xx.xx.xx] Our system has detected that this message is suspicious due to the nature of the"
                + " content and/or the links within. To best protect our users from spam, the message has been"
                + " blocked. Please visit https://support.google.com/mail/answer/188131 for more information. - gsmtp"),
        r("FM 451 Mimecast 1", "451 Open relay not allowed - https://community.mimecast.com/docs/DOC-1369#451 [#]"));
  }

  /** 4xx about our rate: unknown/rate_limited, back off the domain. */
  static Stream<Arguments> rateLimited() {
    return Stream.of(
        r("FM 421 Google 4.7.28",
            "421 4.7.28 [x.xx.xx.xx] Our system has detected an unusual rate of unsolicited mail originating from your"
                + " IP address. To protect our users from spam, mail sent from your IP address has been temporarily"
                + " rate limited. Please visit https://support.google.com/mail/?p=UnsolicitedRateLimitError to review"
                + " our Bulk Email Senders Guidelines. - gsmtp"),
        r("FM 421 Verizon Media (Yahoo) TSS04",
            "421 4.7.0 [TSS04] Messages from 0.0.0.0 temporarily deferred due to user complaints - 4.16.55.1; see"
                + " https://help.yahoo.com/kb/postmaster/SLN3434.html"),
        r("FM 421 Apple 4.7.1",
            "421 4.7.1 Messages to example@icloud.com deferred due to excessive volume. Try again later -"
                + " https://support.apple.com/en-us/HT204137"),
        r("FM 421 Exchange Online 4.3.2",
            "421 4.3.2 The maximum number of concurrent connections per resource forest has exceeded a limit, closing"
                + " transmission channel. example.com. PRX8 [example.com]"),
        r("Exchange Online server busy (Microsoft EOP docs, 4.7.500)",
            "451 4.7.500 Server busy. Please try again later from [192.0.2.1]. (S77719)"),
        r("Postfix anvil recipient rate (Linux kernel list bounce)", "450 4.7.1 Error: too many recipients from 49.7.199.65"),
        r("Postfix anvil connection count", "421 4.7.0 mx.example.com Error: too many connections from 192.0.2.1"),
        r("Exim smtp_accept_max", "421 Too many concurrent SMTP connections; please try again later."),
        r("Outlook.com RP-001 (Outlook.com postmaster error list)",
            "421 RP-001 (COL004-MC1F42) Unfortunately, some messages from 192.0.2.1 weren't sent. Please try again. We"
                + " have limits for how many messages can be sent per hour and per day."),
        r("FM 421 Barracuda (rcpt() reads every 421 as row 2)", "421 Temporary failure, please try again later."));
  }

  /** Row 0: replies about the session. */
  static Stream<Arguments> sessionLevel() {
    return Stream.of(
        r("Postfix smtpd_recipient_limit", "452 4.5.3 Error: too many recipients"),
        r("Postfix smtpd before enhanced codes", "452 Error: too many recipients"),
        r("Gmail recipient limit (Google sending limits)",
            "452 4.5.3 Your message has too many recipients. For more information regarding Google's sending limits,"
                + " visit https://support.google.com/mail/answer/6592 - gsmtp"),
        r("SXE esmtp source", "452 4.5.3 Error: too many recipients for local policy"),
        r("RFC 5321 §4.5.3.1.10: 552 read as 452 (RFC 821 legacy)", "552 Too many recipients"),
        r("FM 421 Apple 4.7.0", "421 4.7.0 me.com Error: too many errors"),
        r("Postfix smtpd_hard_error_limit", "421 4.7.0 mx.example.com Error: too many errors"),
        r("FM 421 Verizon Media 4.0.0-2", "421 Max message per connection reached, closing transmission channel"),
        r("FM 421 Verizon Media 4.0.0", "421 Service not available, closing transmission channel"),
        r("FM 421 Outlook 4.3.2", "421 4.3.2 Service not available [outlook.com]"));
  }

  /** Everything above, for the invariants. */
  static Stream<Arguments> all() {
    return Stream.of(
            accepted(),
            mailboxNotFound(),
            mailboxDisabled(),
            mailboxFull(),
            blocked(),
            ambiguous(),
            greylisted(),
            blockedForNow(),
            rateLimited(),
            sessionLevel())
        .flatMap(s -> s);
  }
}
