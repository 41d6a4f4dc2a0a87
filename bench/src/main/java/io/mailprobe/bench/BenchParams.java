package io.mailprobe.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The command line of scripts/bench. */
final class BenchParams {
  int addresses = 10_000;
  int domains = 200;
  int hosts = 50;
  Duration replyLatency = Duration.ofMillis(50);
  Duration bannerDelay = Duration.ZERO;
  int c = 2;
  int k = 50;
  int maxRejections = 8;
  double catchAllShare = 0.1;
  double unknownShare = 0.1;
  double greylistShare = 0.01;
  int parallelism = 1;
  Duration checkpointInterval = Duration.ofSeconds(1);
  String probeDelay = null; // the job's default
  Duration greylistBackoff = Duration.ofMillis(200);
  Duration connectTimeout = Duration.ofSeconds(3);
  Duration latencyDuration = Duration.ofSeconds(20);
  Duration runTimeout = Duration.ofMinutes(10);
  int simulatorThreads = 1;
  long seed = 5;
  Path out = Path.of("bench-results");
  List<String> runs = new ArrayList<>(List.of("reuse", "single", "r0", "passthrough", "latency", "blackhole"));
  List<String> jobArgs = new ArrayList<>();
  boolean full;

  static final String USAGE =
      """
      usage: scripts/bench [--full] [--key value ...] [-- job args]
        --addresses N          addresses in the world (default 10000; --full: 100000)
        --domains N            domains (default 200; --full: 1000)
        --hosts M              MX hosts on 127.77.x.y, domains spread round-robin (default 50; --full: 100)
        --reply-latency D      simulated server time per reply R (default 50ms)
        --banner-delay D       delay before the 220 banner (default 0ms)
        --c N                  per-host concurrency cap, enforced by the simulator and given to the job
                               cluster-wide as max-sessions-per-host (default 2)
        --k N                  recipients-per-session (default 50)
        --max-rejections N     max-rejections-per-session (default 8)
        --catch-all-share F    share of catch-all hosts (default 0.1)
        --unknown-share F      share of unknown addresses on the other hosts (default 0.1)
        --greylist-share F     share of greylisted addresses, 450 once then accepted (default 0.01)
        --parallelism N        job parallelism (default 1: see the README on the per-subtask split of c)
        --checkpoint-interval D   the job's checkpoint interval: verdicts become visible at checkpoints (default 1s)
        --probe-delay D        the job's probe-delay (default: the job's default)
        --greylist-backoff D   greylist-backoff given to the job (default 200ms)
        --connect-timeout D    connect-timeout given to the job (default 3s; the blackhole run costs this)
        --latency-duration D   length of the paced run at half of peak load (default 20s)
        --run-timeout D        longest wait for one run's verdicts (default 10m)
        --simulator-threads N  event-loop threads of the SMTP simulator (default 1)
        --runs a,b,...         which runs: reuse,single,r0 (then the core alone at R = 0),passthrough,latency,
                               blackhole (default all)
        --seed N               world seed (default 5)
        --out DIR              where results.json and results.png go (default bench-results)
        --full                 100,000 addresses over 1,000 domains on 100 hosts, R = 50 ms, c = 2
      Anything after -- is passed to every mailprobe run as job arguments (e.g. -- --max-probes-in-flight 512).
      """;

  static BenchParams parse(String[] args) {
    BenchParams p = new BenchParams();
    for (String a : args) {
      if (a.equals("--full")) {
        p.full = true;
        p.addresses = 100_000;
        p.domains = 1_000;
        p.hosts = 100;
        p.replyLatency = Duration.ofMillis(50);
        p.c = 2;
      }
    }
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--full")) {
        continue;
      }
      if (a.equals("--")) {
        p.jobArgs.addAll(List.of(args).subList(i + 1, args.length));
        break;
      }
      if (a.equals("--help") || a.equals("-h")) {
        System.out.print(USAGE);
        System.exit(0);
      }
      if (!a.startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("bad argument " + a + " (see --help)");
      }
      String v = args[++i];
      switch (a.substring(2)) {
        case "addresses" -> p.addresses = Integer.parseInt(v);
        case "domains" -> p.domains = Integer.parseInt(v);
        case "hosts" -> p.hosts = Integer.parseInt(v);
        case "reply-latency" -> p.replyLatency = duration(v);
        case "banner-delay" -> p.bannerDelay = duration(v);
        case "c" -> p.c = Integer.parseInt(v);
        case "k" -> p.k = Integer.parseInt(v);
        case "max-rejections" -> p.maxRejections = Integer.parseInt(v);
        case "catch-all-share" -> p.catchAllShare = Double.parseDouble(v);
        case "unknown-share" -> p.unknownShare = Double.parseDouble(v);
        case "greylist-share" -> p.greylistShare = Double.parseDouble(v);
        case "parallelism" -> p.parallelism = Integer.parseInt(v);
        case "checkpoint-interval" -> p.checkpointInterval = duration(v);
        case "probe-delay" -> p.probeDelay = v;
        case "greylist-backoff" -> p.greylistBackoff = duration(v);
        case "connect-timeout" -> p.connectTimeout = duration(v);
        case "latency-duration" -> p.latencyDuration = duration(v);
        case "run-timeout" -> p.runTimeout = duration(v);
        case "simulator-threads" -> p.simulatorThreads = Integer.parseInt(v);
        case "runs" -> p.runs = new ArrayList<>(List.of(v.split(",")));
        case "seed" -> p.seed = Long.parseLong(v);
        case "out" -> p.out = Path.of(v);
        default -> throw new IllegalArgumentException("unknown option " + a + " (see --help)");
      }
    }
    if (p.domains < 1 || p.hosts < 1 || p.addresses < p.domains || p.hosts > 250 * 250) {
      throw new IllegalArgumentException("need addresses >= domains >= 1 and 1 <= hosts <= 62500");
    }
    return p;
  }

  static Duration duration(String v) {
    if (v.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
    }
    if (v.endsWith("s")) {
      return Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
    }
    if (v.endsWith("m")) {
      return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
    }
    return Duration.ofMillis(Long.parseLong(v));
  }

  static String text(Duration d) {
    return d.toMillis() + "ms";
  }
}
