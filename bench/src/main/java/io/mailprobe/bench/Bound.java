package io.mailprobe.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The throughput bound of a world (DESIGN §7, with session overhead): the least time any verifier that keeps to c
 * sessions per host and asks one RCPT per round trip needs, given the sessions mailprobe's own rules call for.
 *
 * <pre>
 * per domain d (n addresses, u unknown, g greylisted), R = reply latency, B = banner delay, d = 0 on loopback:
 *   reuse:   s = max(1, ceil(u / maxRejections)) sessions, t = max(s, ceil(n / k)) transactions
 *            T_d = s (B + 3R) + (t - s) 2R + (n + p) R + [g > 0] (B + 3R + g R)      p = 1 with the catch-all probe
 *            (banner, EHLO, MAIL FROM, QUIT per session (RFC 5321: the client waits for QUIT's reply, the server
 *             then closes); RSET + MAIL FROM per further transaction; one RCPT per address; greylisted ones again in
 *             one later session)
 *   single:  T_d = (n + g) (B + 4R)                            (banner, EHLO, MAIL FROM, one RCPT, QUIT per address)
 * per host h: busy time T_h = sum of T_d over its domains; one domain runs one session at a time
 * time bound = max over hosts of max(T_h / c, max T_d);  X* = N / time bound
 * (when hosts are equally loaded this is the sum over hosts of c n_h / T_h; with k -> infinity and B = 0 it tends to
 *  DESIGN's c / (R + d) per host)
 * </pre>
 */
final class Bound {

  static final String FORMULA =
      "X* = N / max_h max(sum_d T_d / c, max_d T_d); reuse: T_d = s(B+3R) + (t-s)2R + (n+p)R + [g>0](B+3R+gR),"
          + " s = max(1,ceil(u/maxRej)), t = max(s,ceil(n/k)); single: T_d = (n+g)(B+4R); d = 0 on loopback";

  static double checksPerSecond(World w, BenchParams p, double replyLatencyMs, boolean single, boolean catchAllProbe) {
    return checksPerSecond(w, p, replyLatencyMs, single, catchAllProbe, false);
  }

  /**
   * With {@code split}, the bound of this job's politeness as built: each of the {@code parallelism} subtasks gets
   * max(1, c / parallelism) sessions per host and serves the domains Flink's key groups give it.
   */
  static double checksPerSecond(
      World w, BenchParams p, double replyLatencyMs, boolean single, boolean catchAllProbe, boolean split) {
    int lanes = split ? p.parallelism : 1;
    int capacity = split ? Math.max(1, p.c / p.parallelism) : p.c;
    double r = replyLatencyMs;
    double b = p.bannerDelay.toMillis();
    double[] busy = new double[p.hosts * lanes];
    double[] longest = new double[p.hosts * lanes];
    long n = 0;
    for (World.Domain d : w.domains) {
      double t;
      if (single) {
        t = (d.addresses() + d.greylisted()) * (b + 4 * r);
      } else {
        int s = Math.max(1, ceil(d.unknown(), p.maxRejections));
        int tx = Math.max(s, ceil(d.addresses(), p.k));
        t = s * (b + 3 * r) + (tx - s) * 2 * r + (d.addresses() + (catchAllProbe ? 1 : 0)) * r;
        if (d.greylisted() > 0) {
          t += b + 3 * r + d.greylisted() * r;
        }
      }
      int lane = d.host() * lanes
          + (split
              ? org.apache.flink.runtime.state.KeyGroupRangeAssignment.assignKeyToParallelOperator(
                  d.name(), 128, p.parallelism)
              : 0);
      busy[lane] += t;
      longest[lane] = Math.max(longest[lane], t);
      n += d.addresses();
    }
    double worst = 0;
    for (int h = 0; h < busy.length; h++) {
      worst = Math.max(worst, Math.max(busy[h] / capacity, longest[h]));
    }
    return worst == 0 ? Double.POSITIVE_INFINITY : n / (worst / 1000.0);
  }

  /** Round trips the bound counts over the whole world (its T_d at R = 1, B = 0, summed): commands answered. */
  static long roundTrips(World w, BenchParams p, boolean catchAllProbe) {
    double sum = 0;
    for (World.Domain d : w.domains) {
      int s = Math.max(1, ceil(d.unknown(), p.maxRejections));
      int tx = Math.max(s, ceil(d.addresses(), p.k));
      sum += 3 * s + 2 * (tx - s) + d.addresses() + (catchAllProbe ? 1 : 0)
          + (d.greylisted() > 0 ? 3 + d.greylisted() : 0);
    }
    return Math.round(sum);
  }

  /** DESIGN §7 as written: c / (R + d) per MX host that has addresses, summed; d = 0 on loopback. */
  static double design(World w, BenchParams p, double replyLatencyMs) {
    List<Integer> used = new ArrayList<>();
    boolean[] seen = new boolean[p.hosts];
    for (World.Domain d : w.domains) {
      if (d.addresses() > 0 && !seen[d.host()]) {
        seen[d.host()] = true;
        used.add(d.host());
      }
    }
    return used.size() * p.c / (replyLatencyMs / 1000.0);
  }

  private static int ceil(int a, int b) {
    return (a + b - 1) / b;
  }
}
