package io.mailprobe.bench;

import io.mailprobe.pipeline.verdict.Reason;
import io.mailprobe.pipeline.verdict.Status;
import io.mailprobe.testkit.dns.AuthoritativeDnsServer;
import io.mailprobe.testkit.smtp.CommandRule;
import io.mailprobe.testkit.smtp.HostBehaviour;
import io.mailprobe.testkit.smtp.SmtpSimulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * The simulated world of a benchmark: N domains spread round-robin over M MX hosts on 127.77.x.y, a share of the
 * hosts catch-all, and per domain a mix of existing, unknown and greylisted (450 once, then accepted) addresses.
 * Knows the truth for every address.
 */
final class World {

  enum Kind { EXISTS, UNKNOWN, GREYLISTED, CATCH_ALL, BLACKHOLED }

  record Address(int id, String email, int domain, Kind kind) {}

  record Domain(String name, int host, int addresses, int unknown, int greylisted) {}

  static final String BLACKHOLE_IP = "127.77.255.1";

  final List<Address> addresses = new ArrayList<>();
  final List<Domain> domains = new ArrayList<>();
  final List<String> hostIps = new ArrayList<>();
  final boolean[] catchAllHost;
  final int blackholeFrom; // addresses with id >= this belong to blackholed domains (the blackhole run only)

  World(BenchParams p) {
    Random random = new Random(p.seed);
    catchAllHost = new boolean[p.hosts];
    for (int h = 0; h < p.hosts; h++) {
      hostIps.add("127.77." + (h / 250) + "." + (h % 250 + 1));
      catchAllHost[h] = random.nextDouble() < p.catchAllShare;
    }
    int[] count = new int[p.domains];
    int[] unknown = new int[p.domains];
    int[] grey = new int[p.domains];
    for (int i = 0; i < p.addresses; i++) {
      int d = i % p.domains;
      int h = d % p.hosts;
      Kind kind;
      double u = random.nextDouble();
      if (catchAllHost[h]) {
        kind = Kind.CATCH_ALL;
      } else if (u < p.unknownShare) {
        kind = Kind.UNKNOWN;
        unknown[d]++;
      } else if (u < p.unknownShare + p.greylistShare) {
        kind = Kind.GREYLISTED;
        grey[d]++;
      } else {
        kind = Kind.EXISTS;
      }
      String local = switch (kind) {
        case UNKNOWN -> "x";
        case GREYLISTED -> "g";
        default -> "u";
      };
      addresses.add(new Address(i, local + i + "@" + domainName(d), d, kind));
      count[d]++;
    }
    for (int d = 0; d < p.domains; d++) {
      domains.add(new Domain(domainName(d), d % p.hosts, count[d], unknown[d], grey[d]));
    }
    // The blackholed MX carries as many domains and addresses as an average host.
    blackholeFrom = addresses.size();
    int bhDomains = Math.max(1, p.domains / p.hosts);
    int bhAddresses = Math.max(1, p.addresses / p.hosts);
    for (int i = 0; i < bhAddresses; i++) {
      int d = i % bhDomains;
      addresses.add(new Address(blackholeFrom + i, "u" + i + "@bh" + d + ".bench.test", -1 - d, Kind.BLACKHOLED));
    }
    Collections.shuffle(addresses.subList(0, blackholeFrom), random);
  }

  static String domainName(int d) {
    return "d" + d + ".bench.test";
  }

  static String mxName(int h) {
    return "mx" + h + ".bench.test";
  }

  List<Address> regular() {
    return addresses.stream().filter(a -> a.kind != Kind.BLACKHOLED).toList();
  }

  /** DNS for every domain, the blackholed ones included. */
  void serve(AuthoritativeDnsServer dns, BenchParams p) {
    for (int h = 0; h < hostIps.size(); h++) {
      dns.a(mxName(h), hostIps.get(h));
    }
    for (Domain d : domains) {
      dns.mx(d.name(), 10, mxName(d.host()));
    }
    dns.a("mx-blackhole.bench.test", BLACKHOLE_IP);
    for (int d = 0; d < Math.max(1, p.domains / p.hosts); d++) {
      dns.mx("bh" + d + ".bench.test", 10, "mx-blackhole.bench.test");
    }
  }

  /** A fresh simulator (fresh counters, fresh greylist rules) with every host at the given reply latency. */
  SmtpSimulator simulator(BenchParams p, Duration replyLatency) {
    List<List<Address>> byHost = new ArrayList<>();
    for (int h = 0; h < hostIps.size(); h++) {
      byHost.add(new ArrayList<>());
    }
    for (Address a : addresses) {
      if (a.kind != Kind.BLACKHOLED) {
        byHost.get(domains.get(a.domain).host()).add(a);
      }
    }
    SmtpSimulator.Builder sim = SmtpSimulator.builder().threads(p.simulatorThreads);
    for (int h = 0; h < hostIps.size(); h++) {
      HostBehaviour.Builder b =
          HostBehaviour.builder()
              .hostname(mxName(h))
              .replyLatency(replyLatency)
              .bannerDelay(p.bannerDelay)
              .maxConcurrentSessions(p.c)
              .recordTranscripts(false);
      if (catchAllHost[h]) {
        b.catchAll();
      }
      List<String> mailboxes = new ArrayList<>();
      for (Address a : byHost.get(h)) {
        if (a.kind == Kind.EXISTS || a.kind == Kind.GREYLISTED) {
          mailboxes.add(a.email);
        }
        if (a.kind == Kind.GREYLISTED) {
          b.rule(
              CommandRule.when("RCPT", "<" + Pattern.quote(a.email) + ">")
                  .reply(450, "4.7.1 <" + a.email + ">: Recipient address rejected: Greylisted, please retry later")
                  .times(1));
        }
      }
      b.mailboxes(mailboxes.toArray(String[]::new));
      sim.host(hostIps.get(h), b.build());
    }
    return sim.start();
  }

  /** The verdict the world calls for, as status and reason; catch-all is only known with the catch-all probe. */
  static Expected expected(Kind kind, boolean catchAllProbe) {
    return switch (kind) {
      case EXISTS, GREYLISTED -> new Expected(Status.DELIVERABLE, Reason.ACCEPTED);
      case UNKNOWN -> new Expected(Status.UNDELIVERABLE, Reason.MAILBOX_NOT_FOUND);
      case CATCH_ALL ->
          catchAllProbe ? new Expected(Status.RISKY, Reason.CATCH_ALL) : new Expected(Status.DELIVERABLE, Reason.ACCEPTED);
      case BLACKHOLED -> new Expected(Status.UNKNOWN, null); // any reason
    };
  }

  record Expected(Status status, Reason reason) {
    boolean matches(Status s, Reason r) {
      return s == status && (reason == null || r == reason);
    }
  }
}
