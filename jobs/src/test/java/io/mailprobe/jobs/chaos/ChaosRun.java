package io.mailprobe.jobs.chaos;

import io.mailprobe.connectors.json.DeadLetterJson;
import io.mailprobe.connectors.json.VerdictJson;
import io.mailprobe.connectors.signup.DeadLetter;
import io.mailprobe.jobs.JobSettings;
import io.mailprobe.pipeline.config.VerificationSettings;
import io.mailprobe.testkit.dns.AuthoritativeDnsServer;
import io.mailprobe.testkit.smtp.HostBehaviour;
import io.mailprobe.testkit.smtp.HostRecord;
import io.mailprobe.testkit.smtp.SmtpSimulator;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code scripts/chaos}: the embedded default ({@code scripts/run}, a separate JVM) on a stream of signup events
 * against a simulated world on loopback, with faults injected during the run: a mail server that starts refusing,
 * another that answers slowly from the start (so that its probe is in flight in every checkpoint the kill can fall
 * back to), a DNS outage while new domains arrive, and {@code kill -9} of the job process followed by a restart that
 * resumes from the retained checkpoint. At the end a read_committed consumer
 * counts verdicts per event id and dead letters per source offset: lost and duplicated must both be 0.
 *
 * <p>Arguments: {@code --events N} (default 100000), {@code --domains N} (200), {@code --time-limit SECONDS} (900),
 * {@code --state-dir DIR}, {@code --home DIR} (the checkout, for {@code scripts/run}).
 */
public final class ChaosRun {

  private static final int MAILBOXES = 400; // user0..user399 exist at every domain
  private static final String SIGNUPS = "signups";
  private static final String VERDICTS = "verdicts";
  private static final String DLQ = "signups.dlq";
  private static final Pattern REISSUED = Pattern.compile("re-issuing (\\d+) address");

  private final int events;
  private final int domains;
  private final Duration timeLimit;
  private final Path stateDir;
  private final Path home;
  private final long started = System.nanoTime();
  private final List<String> log = new ArrayList<>();

  private AuthoritativeDnsServer dns;
  private SmtpSimulator smtp;
  private Process job;
  private int brokerPort;
  private int jobStarts;
  private int badSent;
  private int invalidSent;

  // Everything the read_committed consumers have seen so far.
  private final Map<String, Integer> verdictsPerEvent = new HashMap<>();
  private final Map<String, Integer> lettersPerOffset = new HashMap<>();
  private final Map<String, Integer> byStatusReason = new TreeMap<>();
  private final Map<String, String> sampleDetail = new HashMap<>();
  private final Map<String, Integer> maxAttempts = new HashMap<>();
  private long verdictRecords;
  private long letterRecords;

  private ChaosRun(int events, int domains, Duration timeLimit, Path stateDir, Path home) {
    this.events = events;
    this.domains = domains;
    this.timeLimit = timeLimit;
    this.stateDir = stateDir;
    this.home = home;
  }

  public static void main(String[] args) throws Exception {
    int events = 100_000;
    int domains = 200;
    long limit = 900;
    Path home = Path.of(".").toAbsolutePath().normalize();
    Path state = null;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--events" -> events = Integer.parseInt(args[i + 1]);
        case "--domains" -> domains = Integer.parseInt(args[i + 1]);
        case "--time-limit" -> limit = Long.parseLong(args[i + 1]);
        case "--state-dir" -> state = Path.of(args[i + 1]).toAbsolutePath();
        case "--home" -> home = Path.of(args[i + 1]).toAbsolutePath().normalize();
        default -> {
          System.err.println("chaos: unknown argument " + args[i]);
          System.exit(2);
        }
      }
    }
    if (domains < 10 || domains > 250 * 200) {
      System.err.println("chaos: --domains must be 10..50000");
      System.exit(2);
    }
    if (state == null) {
      state = home.resolve("target/chaos");
    }
    ChaosRun run = new ChaosRun(events, domains, Duration.ofSeconds(limit), state, home);
    int rc;
    try {
      rc = run.run();
    } finally {
      run.stopEverything();
    }
    System.exit(rc);
  }

  // ---- the world --------------------------------------------------------------------------------------------

  static String domain(int d) {
    return "d" + d + ".chaos.test";
  }

  static String hostAddress(int d) {
    return "127.0." + (1 + d / 250) + "." + (1 + d % 250);
  }

  private static HostBehaviour normal(int d) {
    String[] boxes = new String[MAILBOXES];
    for (int i = 0; i < MAILBOXES; i++) {
      boxes[i] = "user" + i + "@" + domain(d);
    }
    return HostBehaviour.builder()
        .hostname("mx." + domain(d))
        .mailboxes(boxes)
        .recordTranscripts(false)
        .build();
  }

  private void startWorld() {
    dns = new AuthoritativeDnsServer();
    SmtpSimulator.Builder b = SmtpSimulator.builder();
    for (int d = 0; d < domains; d++) {
      dns.mx(domain(d), 10, "mx." + domain(d));
      dns.a("mx." + domain(d), hostAddress(d));
      b.host(hostAddress(d), normal(d));
    }
    dns.start();
    smtp = b.start();
  }

  // ---- the job process --------------------------------------------------------------------------------------

  private List<String> jobArguments() {
    return List.of(
        home.resolve("scripts/run").toString(),
        "--state-dir", stateDir.toString(),
        "--bootstrap-servers", "localhost:" + brokerPort,
        "--dns", dns.serverSpec(),
        "--smtp-port", Integer.toString(smtp.port()),
        "--helo", "probe.chaos.test",
        "--dns-timeout", "1s",
        "--connect-timeout", "1s",
        "--banner-timeout", "2s",
        "--command-timeout", "2s",
        "--greylist-retries", "2",
        // Retries (greylisting, DNS errors, 421) come back within seconds, so the 8 s DNS outage is retried past.
        "--greylist-backoff", "3s,6s",
        "--greylist-max-age", "30s",
        // Every event is probed: repeated addresses would otherwise be answered from the verdict cache.
        "--verdict-cache-ttl", "0s",
        "--parallelism", "2");
  }

  private void startJob() throws Exception {
    jobStarts++;
    Path out = stateDir.resolve("job-" + jobStarts + ".out");
    ProcessBuilder pb =
        new ProcessBuilder(jobArguments())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile());
    pb.environment().putIfAbsent("MAILPROBE_JAVA_OPTS", "-Xmx1g");
    job = pb.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      String text = Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : "";
      if (text.contains("mailprobe is running")) {
        note("job started (start %d, pid %d)%s", jobStarts, job.pid(),
            text.contains("resumed from") ? ", " + firstLine(text, "resumed from") : ", fresh start");
        return;
      }
      if (!job.isAlive()) {
        throw new IllegalStateException("the job exited while starting:\n" + text);
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the job did not start within 120 s; see " + out);
  }

  private static String firstLine(String text, String containing) {
    return text.lines().filter(l -> l.contains(containing)).findFirst().map(String::strip).orElse("");
  }

  private void killJob() throws InterruptedException {
    long pid = job.pid();
    job.destroyForcibly(); // SIGKILL: no shutdown hook, no cancel, the broker dies with it
    job.waitFor(30, TimeUnit.SECONDS);
    note("kill -9 of the job process (pid %d), exit %d", pid, job.exitValue());
  }

  private void stopEverything() {
    if (job != null && job.isAlive()) {
      job.destroy(); // SIGTERM: scripts/run cancels the job (keeping its checkpoint) and stops the broker
      try {
        if (!job.waitFor(90, TimeUnit.SECONDS)) {
          job.destroyForcibly();
        }
      } catch (InterruptedException e) {
        job.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    if (smtp != null) {
      smtp.close();
    }
    if (dns != null) {
      dns.close();
    }
  }

  // ---- events -----------------------------------------------------------------------------------------------

  private KafkaProducer<byte[], byte[]> producer() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + brokerPort);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** Events from..to-1; the first 80 % of the domains before {@code lateDomains}, all of them after. */
  private void produce(int from, int to, boolean lateDomains) {
    Random random = new Random(from * 31L + to);
    int early = domains * 4 / 5;
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      for (int i = from; i < to; i++) {
        String id = String.format("c-%07d", i);
        String value;
        if (i % 100 == 0) {
          value = "{not json " + id;
          badSent++;
        } else if (i % 100 == 1) {
          value = "{\"event_id\":\"" + id + "\",\"email\":\"broken@@" + id + ".chaos.test\"}";
          invalidSent++;
        } else {
          int d = lateDomains ? random.nextInt(domains) : random.nextInt(early);
          int user = random.nextInt(MAILBOXES * 6 / 5); // a sixth of them do not exist
          value = "{\"event_id\":\"" + id + "\",\"email\":\"user" + user + "@" + domain(d)
              + "\",\"ts\":\"2026-11-28T10:00:00Z\",\"source\":\"chaos\"}";
        }
        producer.send(new ProducerRecord<>(SIGNUPS, value.getBytes(StandardCharsets.UTF_8)));
      }
      producer.flush();
    }
    note("produced events %d..%d", from, to - 1);
  }

  // ---- counting ---------------------------------------------------------------------------------------------

  private KafkaConsumer<byte[], byte[]> consumer(String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + brokerPort);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    p.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
    KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    return consumer;
  }

  private void poll(KafkaConsumer<byte[], byte[]> verdicts, KafkaConsumer<byte[], byte[]> letters) {
    try {
      for (ConsumerRecord<byte[], byte[]> r : verdicts.poll(Duration.ofMillis(100))) {
        VerdictJson.EventVerdict v = VerdictJson.read(r.value());
        verdictRecords++;
        verdictsPerEvent.merge(String.valueOf(v.eventId()), 1, Integer::sum);
        String key = v.verdict().status().wireName() + "/" + v.verdict().reason().wireName();
        byStatusReason.merge(key, 1, Integer::sum);
        sampleDetail.putIfAbsent(key, String.valueOf(v.verdict().detail()));
        maxAttempts.merge(key, v.verdict().attempts(), Math::max);
      }
      for (ConsumerRecord<byte[], byte[]> r : letters.poll(Duration.ofMillis(50))) {
        DeadLetter l = DeadLetterJson.read(r.value());
        letterRecords++;
        lettersPerOffset.merge(l.partition() + ":" + l.offset(), 1, Integer::sum);
      }
    } catch (org.apache.kafka.common.KafkaException e) {
      // the broker is down (killed with the job): the consumers reconnect when it is back
    }
  }

  private long answered() {
    return verdictsPerEvent.size() + lettersPerOffset.size();
  }

  // ---- the run ----------------------------------------------------------------------------------------------

  private int run() throws Exception {
    if (Files.exists(stateDir)) {
      try (Stream<Path> walk = Files.walk(stateDir)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    Files.createDirectories(stateDir);
    brokerPort = freePort();
    startWorld();
    note("world: %d domains on %d simulated mail servers, DNS at %s, SMTP port %d", domains, domains,
        dns.serverSpec(), smtp.port());
    startJob();

    String refusing = hostAddress(0);
    String slow = hostAddress(1);
    // Slow from the start: a fast job has answered every address of a domain slowed later by the time it is killed,
    // and the restore then has no probe to ask again.
    smtp.behave(slow, HostBehaviour.builder().hostname("mx." + domain(1)).mailboxes("user1@" + domain(1))
        .replyLatency(Duration.ofMillis(2500)).recordTranscripts(false).build());
    note("fault: %s (%s) answers after 2.5 s", domain(1), slow);
    int firstHalf = events * 6 / 10;
    produce(0, firstHalf, false);
    KafkaConsumer<byte[], byte[]> verdicts = consumer(VERDICTS);
    KafkaConsumer<byte[], byte[]> letters = consumer(DLQ);

    boolean serverFaults = false;
    boolean killed = false;
    boolean secondHalf = false;
    long silencedAt = 0;
    boolean silenceOver = false;
    long deadline = started + timeLimit.toNanos();
    long lastProgress = 0;
    long settleUntil = Long.MAX_VALUE;
    AtomicBoolean done = new AtomicBoolean();
    while (System.nanoTime() < Math.min(deadline, settleUntil)) {
      poll(verdicts, letters);
      long answered = answered();
      if (!serverFaults && answered >= events / 10) {
        smtp.behave(refusing, HostBehaviour.builder().hostname("mx." + domain(0))
            .banner(554, "5.7.1 mx." + domain(0) + " Service unavailable; client host blocked").build());
        note("fault: %s (%s) now refuses at the banner (554 5.7.1)", domain(0), refusing);
        serverFaults = true;
      }
      if (!killed && answered >= events * 3 / 10) {
        killJob();
        killed = true;
        Thread.sleep(1000);
        startJob();
        dns.silence(true);
        silencedAt = System.nanoTime();
        note("fault: DNS silent (every query unanswered) while events of new domains arrive");
        produce(firstHalf, events, true);
        secondHalf = true;
      }
      if (silencedAt != 0 && !silenceOver && System.nanoTime() - silencedAt > Duration.ofSeconds(8).toNanos()) {
        dns.silence(false);
        smtp.behave(slow, normal(1));
        silenceOver = true;
        note("DNS answers again after 8 s; %s is fast again", domain(1));
      }
      if (System.nanoTime() - lastProgress > Duration.ofSeconds(5).toNanos()) {
        lastProgress = System.nanoTime();
        System.out.printf("chaos: %5.0f s  verdicts %d  dead letters %d  (of %d events sent so far)%n",
            seconds(), verdictsPerEvent.size(), lettersPerOffset.size(), secondHalf ? events : firstHalf);
      }
      if (secondHalf && answered >= events && !done.getAndSet(true)) {
        note("every event answered; reading on for 6 s so that a duplicate would show");
        settleUntil = System.nanoTime() + Duration.ofSeconds(6).toNanos();
      }
    }
    long wallMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
    verdicts.close();
    letters.close();
    return report(wallMs, done.get());
  }

  private int report(long wallMs, boolean finished) throws IOException {
    // Events that should have verdicts: every produced id except the undecodable ones.
    long lost = 0;
    long duplicated = 0;
    for (int i = 0; i < events; i++) {
      if (i % 100 == 0) {
        continue;
      }
      Integer n = verdictsPerEvent.get(String.format("c-%07d", i));
      if (n == null) {
        lost++;
      } else if (n > 1) {
        duplicated += n - 1;
      }
    }
    for (int n : lettersPerOffset.values()) {
      duplicated += Math.max(0, n - 1);
    }
    lost += Math.max(0, badSent - lettersPerOffset.size());
    long unexpected = verdictsPerEvent.keySet().stream().filter(id -> !id.startsWith("c-")).count();

    long reissued = 0;
    Path runLog = stateDir.resolve("run.log");
    if (Files.exists(runLog)) {
      Matcher m = REISSUED.matcher(Files.readString(runLog, StandardCharsets.ISO_8859_1));
      while (m.find()) {
        reissued += Long.parseLong(m.group(1));
      }
    }
    int maxConcurrent = 0;
    String busiest = "";
    boolean data = false;
    for (Map.Entry<String, HostRecord> h : smtp.hosts().entrySet()) {
      if (h.getValue().maxConcurrentSessions() > maxConcurrent) {
        maxConcurrent = h.getValue().maxConcurrentSessions();
        busiest = h.getKey();
      }
      data |= h.getValue().dataReceived();
    }
    long sessions = smtp.hosts().values().stream().mapToLong(HostRecord::sessionsOpened).sum();

    System.out.println();
    System.out.println("== chaos: timeline");
    log.forEach(l -> System.out.println("  " + l));
    System.out.println("== chaos: verdicts by status/reason");
    byStatusReason.forEach((k, v) -> System.out.printf("  %-34s %7d  attempts <= %d  e.g. %s%n", k, v,
        maxAttempts.get(k), abbreviate(sampleDetail.get(k))));
    System.out.println("== chaos: result");
    System.out.printf("events               %d (%d undecodable, %d invalid addresses)%n", events, badSent, invalidSent);
    System.out.printf("verdicts             %d records, %d distinct events%n", verdictRecords, verdictsPerEvent.size());
    System.out.printf("dead letters         %d records, %d distinct source offsets%n", letterRecords,
        lettersPerOffset.size());
    System.out.printf("lost %d%n", lost);
    System.out.printf("duplicated %d%n", duplicated);
    System.out.printf("unexpected ids       %d%n", unexpected);
    System.out.printf("job starts           %d (1 kill -9, resumed from the retained checkpoint)%n", jobStarts);
    int probes = Integer.parseInt(JobSettings.MAX_PROBES_IN_FLIGHT.defaultText());
    int perProbe = Integer.parseInt(JobSettings.MAX_ADDRESSES_PER_PROBE.defaultText());
    System.out.printf("re-issued probes     %d addresses (bound: max-probes-in-flight %d x max-addresses-per-probe %d"
        + " x parallelism 2 = %d)%n", reissued, probes, perProbe, probes * perProbe * 2);
    int perHost = Integer.parseInt(VerificationSettings.MAX_SESSIONS_PER_HOST.defaultText());
    System.out.printf("smtp sessions        %d; most concurrent on one host %d (%s; limit %d per host, %d per subtask)%n",
        sessions, maxConcurrent, busiest, perHost, Math.max(1, perHost / 2));
    System.out.printf("DATA sent            %s%n", data ? "YES (a session sent DATA)" : "never (no session sent DATA)");
    System.out.printf("wall time            %.1f s%s%n", wallMs / 1000.0,
        finished ? "" : " (time limit reached before every event was answered)");
    boolean ok = finished && lost == 0 && duplicated == 0 && unexpected == 0 && !data;
    System.out.println(ok ? "chaos: PASS" : "chaos: FAIL");
    return ok ? 0 : 1;
  }

  private static String abbreviate(String s) {
    if (s == null) {
      return "-";
    }
    return s.length() <= 90 ? s : s.substring(0, 87) + "...";
  }

  private void note(String format, Object... args) {
    String line = String.format("%6.1f s  ", seconds()) + String.format(format, args);
    log.add(line);
    System.out.println("chaos: " + line);
  }

  private double seconds() {
    return (System.nanoTime() - started) / 1e9;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }
}
