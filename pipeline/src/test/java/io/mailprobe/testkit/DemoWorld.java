package io.mailprobe.testkit;

import io.mailprobe.testkit.dns.AuthoritativeDnsServer;
import io.mailprobe.testkit.smtp.CommandRule;
import io.mailprobe.testkit.smtp.HostBehaviour;
import io.mailprobe.testkit.smtp.HostRecord;
import io.mailprobe.testkit.smtp.SmtpSimulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small world of simulated mail domains on loopback — an authoritative DNS server and SMTP servers on 127.0.0.x —
 * with one domain or address per row of DESIGN §3 and per DNS case (TLS-required is shown by turning STARTTLS off
 * against tls.test), and the verdict each address should get. The
 * end-to-end tests check {@link #expectations()}; {@code scripts/testworld} starts the same world for people to try
 * {@code scripts/check} against.
 */
public final class DemoWorld implements AutoCloseable {

  /** The verdict an address should get: status and reason as on the wire, and the flags expected to be set. */
  public record Expected(String status, String reason, List<String> flags) {
    static Expected of(String status, String reason, String... flags) {
      return new Expected(status, reason, List.of(flags));
    }
  }

  /** Timeouts short enough for tests; the tarpit costs at most the banner timeout. */
  public static final Duration BANNER_TIMEOUT = Duration.ofSeconds(1);

  /** Recipients of acme.test that all exist, for the many-recipients-in-one-session case. */
  public static final int ACME_USERS = 120;

  private final AuthoritativeDnsServer dns;
  private final SmtpSimulator smtp;

  private DemoWorld(AuthoritativeDnsServer dns, SmtpSimulator smtp) {
    this.dns = dns;
    this.smtp = smtp;
  }

  /** Starts the DNS server and the SMTP hosts on free loopback ports. */
  public static DemoWorld start() {
    AuthoritativeDnsServer dns = new AuthoritativeDnsServer();
    zone(dns);
    dns.start();
    try {
      return new DemoWorld(dns, smtp());
    } catch (RuntimeException e) {
      dns.close();
      throw e;
    }
  }

  /** The resolver to pass as {@code --dns}. */
  public String dnsServer() {
    return dns.serverSpec();
  }

  /** The port to pass as {@code --smtp-port}. */
  public int smtpPort() {
    return smtp.port();
  }

  /** The arguments that point mailprobe at this world, with test-sized timeouts. */
  public List<String> arguments() {
    return List.of(
        "--dns", dnsServer(),
        "--smtp-port", Integer.toString(smtpPort()),
        "--helo", "checker.mailprobe.test",
        "--mail-from", "probe@mailprobe.test",
        "--dns-timeout", "500ms",
        "--connect-timeout", "1s",
        "--banner-timeout", BANNER_TIMEOUT.toMillis() + "ms",
        "--command-timeout", "2s");
  }

  /** What the simulated host at {@code address} (e.g. 127.0.0.2) saw. */
  public HostRecord host(String address) {
    return smtp.host(address);
  }

  /** True when any simulated host ever received DATA (it never should). */
  public boolean anyDataReceived() {
    return smtp.anyDataReceived();
  }

  /** Every address of the world with the verdict DESIGN's rules call for, in a readable order. */
  public static Map<String, Expected> expectations() {
    Map<String, Expected> e = new LinkedHashMap<>();
    e.put("alice@acme.test", Expected.of("deliverable", "accepted"));
    e.put("Bob@ACME.test", Expected.of("deliverable", "accepted"));
    e.put("info@acme.test", Expected.of("deliverable", "accepted", "role"));
    e.put("alice+news@acme.test", Expected.of("deliverable", "accepted"));
    e.put("\"john doe\"@acme.test", Expected.of("deliverable", "accepted"));
    e.put("jorg@bücher.test", Expected.of("deliverable", "accepted"));
    e.put("nobody@acme.test", Expected.of("undeliverable", "mailbox_not_found"));
    e.put("full@rows.test", Expected.of("risky", "mailbox_full", "full"));
    e.put("quota@rows.test", Expected.of("risky", "mailbox_full", "full"));
    e.put("disabled@rows.test", Expected.of("undeliverable", "mailbox_disabled", "disabled"));
    e.put("blocked@rows.test", Expected.of("unknown", "blocked"));
    e.put("policy@rows.test", Expected.of("unknown", "blocked"));
    e.put("denied@rows.test", Expected.of("unknown", "ambiguous_rejection"));
    e.put("deferred@rows.test", Expected.of("unknown", "greylisted", "greylisted"));
    e.put("gone@rows.test", Expected.of("undeliverable", "mailbox_not_found"));
    e.put("anyone@catchall.test", Expected.of("risky", "catch_all", "catch_all"));
    e.put("alice@backup.test", Expected.of("deliverable", "accepted"));
    e.put("alice@banner.test", Expected.of("deliverable", "accepted"));
    e.put("alice@tarpit.test", Expected.of("unknown", "timeout"));
    e.put("alice@tls.test", Expected.of("deliverable", "accepted"));
    e.put("alice@grey.test", Expected.of("unknown", "greylisted", "greylisted"));
    e.put("alice@implicit.test", Expected.of("deliverable", "accepted"));
    e.put("alice@refuses-sender.test", Expected.of("unknown", "blocked"));
    e.put("alice@nullmx.test", Expected.of("undeliverable", "null_mx"));
    e.put("alice@nodata.test", Expected.of("undeliverable", "no_mail_server"));
    e.put("alice@nxdomain.test", Expected.of("undeliverable", "no_such_domain"));
    e.put("alice@servfail.test", Expected.of("unknown", "dns_error"));
    e.put("alice@yahoo-hosted.test", Expected.of("unknown", "provider_unverifiable"));
    e.put("someone@mailinator.com", Expected.of("risky", "disposable", "disposable"));
    // gmial.com is on the disposable list too; the typo suggestion is given all the same.
    e.put("alice@gmial.com", Expected.of("risky", "disposable", "disposable"));
    e.put("not an address", Expected.of("undeliverable", "invalid_syntax"));
    e.put("alice@acme.test\r\nDATA", Expected.of("undeliverable", "invalid_syntax"));
    return e;
  }

  private static void zone(AuthoritativeDnsServer dns) {
    mx(dns, "acme.test", "127.0.0.2");
    mx(dns, "xn--bcher-kva.test", "127.0.0.2");
    mx(dns, "rows.test", "127.0.0.11");
    mx(dns, "catchall.test", "127.0.0.3");
    dns.mx("backup.test", 10, "mx1.backup.test").a("mx1.backup.test", "127.0.0.4");
    dns.mx("backup.test", 20, "mx2.backup.test").a("mx2.backup.test", "127.0.0.5");
    dns.mx("banner.test", 10, "mx1.banner.test").a("mx1.banner.test", "127.0.0.6");
    dns.mx("banner.test", 20, "mx2.backup.test");
    mx(dns, "tarpit.test", "127.0.0.7");
    mx(dns, "tls.test", "127.0.0.8");
    mx(dns, "grey.test", "127.0.0.9");
    dns.a("implicit.test", "127.0.0.10");
    mx(dns, "refuses-sender.test", "127.0.0.13");
    dns.nullMx("nullmx.test");
    dns.txt("nodata.test", "v=spf1 -all");
    dns.servfail("servfail.test");
    // A domain hosted by a provider whose acceptances prove nothing (provider rules match the MX suffix).
    dns.mx("yahoo-hosted.test", 1, "mta5.am0.yahoodns.net").a("mta5.am0.yahoodns.net", "127.0.0.16");
  }

  private static void mx(AuthoritativeDnsServer dns, String domain, String ip) {
    dns.mx(domain, 10, "mx." + domain).a("mx." + domain, ip);
  }

  private static SmtpSimulator smtp() {
    List<String> acme = new ArrayList<>(List.of("alice@acme.test", "bob@acme.test", "info@acme.test",
        "alice+news@acme.test", "\"john doe\"@acme.test", "jorg@xn--bcher-kva.test"));
    for (int i = 0; i < ACME_USERS; i++) {
      acme.add(String.format("user%03d@acme.test", i));
    }
    return SmtpSimulator.builder()
        .host("127.0.0.2", HostBehaviour.builder().hostname("mx.acme.test").mailboxes(acme.toArray(String[]::new)).build())
        .host("127.0.0.3", HostBehaviour.builder().hostname("mx.catchall.test").catchAll().build())
        .host("127.0.0.4", HostBehaviour.builder().refuseConnections().build())
        .host("127.0.0.5", HostBehaviour.builder().hostname("mx2.backup.test")
            .mailboxes("alice@backup.test", "alice@banner.test").build())
        .host("127.0.0.6", HostBehaviour.builder().banner(554, "5.3.2 mx1.banner.test Service unavailable").build())
        .host("127.0.0.7", HostBehaviour.builder().tarpit().build())
        .host("127.0.0.8", HostBehaviour.builder().hostname("mx.tls.test").offer("STARTTLS").tlsRequired()
            .mailboxes("alice@tls.test").build())
        .host("127.0.0.9", HostBehaviour.builder().hostname("mx.grey.test").mailboxes("alice@grey.test")
            .rule(CommandRule.when("RCPT", "alice@grey\\.test").times(1).reply(450,
                "4.2.0 <alice@grey.test>: Recipient address rejected: Greylisted, see "
                    + "http://postgrey.schweikert.ch/help/grey.test.html"))
            .build())
        .host("127.0.0.10", HostBehaviour.builder().hostname("implicit.test").mailboxes("alice@implicit.test").build())
        .host("127.0.0.11", rows())
        .host("127.0.0.13", HostBehaviour.builder().hostname("mx.refuses-sender.test")
            .rule(CommandRule.when("MAIL").reply(550,
                "5.7.1 <unknown[127.0.0.1]>: Client host rejected: cannot find your reverse hostname, [127.0.0.1]"))
            .build())
        .host("127.0.0.16", HostBehaviour.builder().hostname("mta5.am0.yahoodns.net").catchAll().build())
        .start();
  }

  // One address per reply row of DESIGN §3, with texts real servers send.
  private static HostBehaviour rows() {
    return HostBehaviour.builder()
        .hostname("mx.rows.test")
        .rule(CommandRule.when("RCPT", "<full@").reply(552, "5.2.2 <full@rows.test>: Recipient address rejected: Mailbox full"))
        .rule(CommandRule.when("RCPT", "<quota@").reply(452,
            "4.2.2 The email account that you tried to reach is over quota. Please direct the recipient to "
                + "https://support.google.com/mail/?p=OverQuotaTemp"))
        .rule(CommandRule.when("RCPT", "<disabled@").reply(550,
            "5.2.1 The email account that you tried to reach is disabled."))
        .rule(CommandRule.when("RCPT", "<blocked@").reply(554,
            "5.7.1 Service unavailable; Client host [127.0.0.1] blocked using zen.spamhaus.org"))
        .rule(CommandRule.when("RCPT", "<policy@").reply(550, "5.7.1 Message rejected due to local policy"))
        // Postfix check_recipient_access and Exchange Online's directory-based edge blocking say this; it is
        // about the recipient but proves nothing.
        .rule(CommandRule.when("RCPT", "<denied@").reply(554,
            "5.7.1 <denied@rows.test>: Recipient address rejected: Access denied"))
        .rule(CommandRule.when("RCPT", "<deferred@").reply(451, "4.3.0 <deferred@rows.test>: Temporary lookup failure"))
        .build();
  }

  @Override
  public void close() {
    smtp.close();
    dns.close();
  }

  /** Starts the world and prints how to point {@code scripts/check} at it; runs until killed. */
  public static void main(String[] args) throws InterruptedException {
    DemoWorld world = start();
    Runtime.getRuntime().addShutdownHook(new Thread(world::close));
    System.out.println("DNS  " + world.dnsServer());
    System.out.println("SMTP 127.0.0.x port " + world.smtpPort());
    System.out.println();
    System.out.println("try:");
    System.out.println("  scripts/check --table " + String.join(" ", world.arguments()) + " alice@acme.test nobody@acme.test");
    System.out.println();
    System.out.println("addresses of this world and the verdict each should get:");
    expectations().forEach((address, expected) ->
        System.out.printf("  %-32s %s/%s%n", address.replace("\r\n", "\\r\\n"), expected.status(), expected.reason()));
    System.out.flush();
    Thread.currentThread().join();
  }
}
