package io.mailprobe.testkit.dns;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Address;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The data an {@link AuthoritativeDnsServer} serves and the way it answers from it: records added in code, names
 * that fail (SERVFAIL, REFUSED) or never answer, NXDOMAIN and NODATA with an SOA in the authority section, CNAME
 * chains followed inside the zone as an authoritative server does. Thread-safe: tests may change it while the server
 * runs.
 *
 * <p>The zone is authoritative for the whole name space (its SOA sits at the root), so any name not added is
 * NXDOMAIN.
 */
public final class Zone {
  /** The default TTL of records and negative answers, in seconds. */
  public static final long DEFAULT_TTL = 300;

  private static final int MAX_CHASE = 16;
  private static final Name SOA_HOST = name("ns.mailprobe.invalid");
  private static final Name SOA_ADMIN = name("hostmaster.mailprobe.invalid");

  private final ConcurrentMap<Name, List<Record>> records = new ConcurrentHashMap<>();
  private final Set<Name> servfail = ConcurrentHashMap.newKeySet();
  private final Set<Name> refused = ConcurrentHashMap.newKeySet();
  private final Set<Name> silent = ConcurrentHashMap.newKeySet();
  private volatile long ttl = DEFAULT_TTL;
  private volatile long negativeTtl = DEFAULT_TTL;

  /** TTL in seconds of the records added after this call. */
  public Zone ttl(long seconds) {
    this.ttl = requireTtl(seconds);
    return this;
  }

  /** TTL in seconds of NXDOMAIN and NODATA answers (the SOA's TTL and minimum), from now on. */
  public Zone negativeTtl(long seconds) {
    this.negativeTtl = requireTtl(seconds);
    return this;
  }

  /** Adds {@code domain MX preference host}; a host of "." makes a null MX. */
  public Zone mx(String domain, int preference, String host) {
    return add(new MXRecord(name(domain), DClass.IN, ttl, preference, name(host)));
  }

  /** Adds the null MX {@code domain MX 0 .} (RFC 7505). */
  public Zone nullMx(String domain) {
    return mx(domain, 0, ".");
  }

  /** Adds {@code name A ip}. */
  public Zone a(String host, String ipv4) {
    return add(new ARecord(name(host), DClass.IN, ttl, address(ipv4, Address.IPv4)));
  }

  /** Adds {@code name AAAA ip}. */
  public Zone aaaa(String host, String ipv6) {
    return add(new AAAARecord(name(host), DClass.IN, ttl, address(ipv6, Address.IPv6)));
  }

  /** Adds {@code alias CNAME target}. */
  public Zone cname(String alias, String target) {
    return add(new CNAMERecord(name(alias), DClass.IN, ttl, name(target)));
  }

  /** Adds {@code name TXT text}. */
  public Zone txt(String owner, String text) {
    return add(new TXTRecord(name(owner), DClass.IN, ttl, text));
  }

  /** Every query for {@code name} (any type) gets SERVFAIL. */
  public Zone servfail(String owner) {
    servfail.add(name(owner));
    return this;
  }

  /** Every query for {@code name} (any type) gets REFUSED. */
  public Zone refused(String owner) {
    refused.add(name(owner));
    return this;
  }

  /** Queries for {@code name} are never answered: a black hole for timeouts. */
  public Zone silent(String owner) {
    silent.add(name(owner));
    return this;
  }

  /** Adds a record built elsewhere. */
  public Zone add(Record record) {
    records.merge(
        record.getName(),
        List.of(record),
        (old, added) -> {
          List<Record> both = new ArrayList<>(old);
          both.addAll(added);
          return List.copyOf(both);
        });
    return this;
  }

  /** Removes every record and failure mode of {@code name}. */
  public Zone remove(String owner) {
    Name n = name(owner);
    records.remove(n);
    servfail.remove(n);
    refused.remove(n);
    silent.remove(n);
    return this;
  }

  /**
   * The reply to a query, or empty when the zone stays silent. Replies carry AA, copy RD, and answer only standard
   * queries of class IN.
   */
  public Optional<Message> answer(Message query) {
    Message reply = new Message(query.getHeader().getID());
    reply.getHeader().setFlag(Flags.QR);
    reply.getHeader().setFlag(Flags.AA);
    if (query.getHeader().getFlag(Flags.RD)) {
      reply.getHeader().setFlag(Flags.RD);
    }
    Record question = query.getQuestion();
    if (question != null) {
      reply.addRecord(question, Section.QUESTION);
    }
    if (query.getHeader().getOpcode() != Opcode.QUERY) {
      return Optional.of(withRcode(reply, Rcode.NOTIMP));
    }
    if (question == null) {
      return Optional.of(withRcode(reply, Rcode.FORMERR));
    }
    Name asked = question.getName();
    if (silent.contains(asked)) {
      return Optional.empty();
    }
    if (question.getDClass() != DClass.IN || refused.contains(asked)) {
      return Optional.of(withRcode(reply, Rcode.REFUSED));
    }
    if (servfail.contains(asked)) {
      return Optional.of(withRcode(reply, Rcode.SERVFAIL));
    }
    fillAnswer(reply, asked, question.getType());
    return Optional.of(reply);
  }

  private void fillAnswer(Message reply, Name asked, int type) {
    Name current = asked;
    Set<Name> seen = new HashSet<>();
    for (int step = 0; step < MAX_CHASE; step++) {
      seen.add(current);
      List<Record> here = records.getOrDefault(current, List.of());
      Optional<Record> alias =
          type == Type.CNAME ? Optional.empty() : here.stream().filter(r -> r.getType() == Type.CNAME).findFirst();
      if (alias.isPresent()) {
        reply.addRecord(alias.get(), Section.ANSWER);
        Name target = ((CNAMERecord) alias.get()).getTarget();
        if (seen.contains(target) || isTrouble(target)) {
          return; // a loop, or a target with its own failure mode: the client asks for the target itself
        }
        current = target;
        continue;
      }
      boolean found = false;
      for (Record r : here) {
        if (r.getType() == type) {
          reply.addRecord(r, Section.ANSWER);
          found = true;
        }
      }
      if (!found) {
        // RFC 6604: after CNAMEs the rcode is that of the last name.
        reply.getHeader().setRcode(exists(current) ? Rcode.NOERROR : Rcode.NXDOMAIN);
        reply.addRecord(soa(), Section.AUTHORITY);
      }
      return;
    }
  }

  private boolean isTrouble(Name name) {
    return silent.contains(name) || servfail.contains(name) || refused.contains(name);
  }

  /** A name exists when it owns records or when a name below it does (an empty non-terminal). */
  private boolean exists(Name name) {
    if (!records.getOrDefault(name, List.of()).isEmpty()) {
      return true;
    }
    for (Name owner : records.keySet()) {
      if (owner.subdomain(name)) {
        return true;
      }
    }
    return false;
  }

  private SOARecord soa() {
    long negative = negativeTtl;
    return new SOARecord(Name.root, DClass.IN, negative, SOA_HOST, SOA_ADMIN, 1, 3600, 600, 86400, negative);
  }

  private static Message withRcode(Message reply, int rcode) {
    reply.getHeader().setRcode(rcode);
    return reply;
  }

  /** An absolute DNS name from text, with or without the final dot; "." is the root. */
  static Name name(String text) {
    try {
      return Name.fromString(text.endsWith(".") ? text : text + ".");
    } catch (TextParseException e) {
      throw new IllegalArgumentException("not a DNS name: '" + text + "'", e);
    }
  }

  private static InetAddress address(String literal, int family) {
    try {
      return Address.getByAddress(literal, family);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(
          "not an " + (family == Address.IPv4 ? "IPv4" : "IPv6") + " address: '" + literal + "'", e);
    }
  }

  private static long requireTtl(long seconds) {
    if (seconds < 0 || seconds > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("TTL out of range: " + seconds);
    }
    return seconds;
  }
}
