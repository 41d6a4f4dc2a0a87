package io.mailprobe.pipeline.dns;

import java.util.List;

/** Where mail for a domain goes, or why it goes nowhere (DESIGN §3, DNS). */
public sealed interface MailRoute {

  /** Mail exchangers to try, in the order to try them (preference order, shuffled among equals). */
  record Exchangers(List<MxHost> hosts) implements MailRoute {
    public Exchangers {
      hosts = List.copyOf(hosts);
      if (hosts.isEmpty()) {
        throw new IllegalArgumentException("a route needs at least one host");
      }
    }
  }

  /** The domain does not exist (NXDOMAIN). */
  record NoSuchDomain(String detail) implements MailRoute {}

  /** The domain says it accepts no mail ({@code MX 0 .}, RFC 7505). */
  record NullMx() implements MailRoute {}

  /** The domain exists but neither MX records nor A/AAAA records lead to a mail server. */
  record NoMailServer(String detail) implements MailRoute {}

  /** DNS could not answer (SERVFAIL, timeout, refused): try again later. */
  record LookupFailed(String detail) implements MailRoute {}
}
