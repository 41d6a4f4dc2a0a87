package io.mailprobe.jobs.local;

import io.mailprobe.connectors.config.KafkaPassThrough;
import io.mailprobe.connectors.config.KafkaSettings;
import io.mailprobe.jobs.JobConfig;
import io.mailprobe.jobs.JobSettings;
import io.mailprobe.jobs.MailprobeJob;
import io.mailprobe.pipeline.config.InvalidSettingException;
import io.mailprobe.pipeline.config.Setting;
import io.mailprobe.pipeline.config.SettingValues;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The embedded default, {@code scripts/run}: a single-node Kafka broker and a Flink mini-cluster in this JVM, running
 * {@link MailprobeJob} with RocksDB state and checkpoints on local disk. Its state lives under one directory
 * ({@code .mailprobe} in the project): the broker's data in {@code kafka/}, checkpoints in {@code checkpoints/},
 * which are retained when the run is stopped, so the next run resumes from the newest one.
 */
public final class LocalRun implements AutoCloseable {

  static final Setting<String> STATE_DIR =
      new Setting<>("state-dir", ".mailprobe", "where the local broker and checkpoints keep their data", text -> {
        if (text.isEmpty()) {
          throw new IllegalArgumentException("a directory is required");
        }
        return text;
      });

  /** Partitions of each topic the run creates: enough for a few parallel readers on a laptop. */
  public static final int PARTITIONS = 4;

  // Checkpoints are when verdicts become visible; the cluster default (10 s) is long to wait for at a laptop.
  private static final String LOCAL_CHECKPOINT_INTERVAL = "2s";
  private static final int RESTART_ATTEMPTS = 3;
  private static final Duration RESTART_DELAY = Duration.ofSeconds(5);
  private static final Duration STOP_WAIT = Duration.ofSeconds(60);

  /**
   * What to run: the job's values (verification, Kafka and job keys), Kafka client properties, where state lives,
   * and the port the broker listens on (0: any free port, for tests).
   */
  public record Arguments(
      SettingValues values, Map<String, String> kafkaProperties, Path stateDir, int brokerPort, boolean help) {

    /** The same run with the broker on any free port. */
    public Arguments onAnyFreePort() {
      return new Arguments(values, kafkaProperties, stateDir, 0, help);
    }
  }

  /** Every key {@code scripts/run} accepts: the job's and {@code state-dir}. */
  static List<Setting<?>> keys() {
    List<Setting<?>> keys = new ArrayList<>(JobConfig.keys());
    keys.add(STATE_DIR);
    return keys;
  }

  /**
   * Parses {@code scripts/run}'s arguments; a relative {@code --state-dir} is resolved against {@code home}. Throws
   * {@link InvalidSettingException} with a message for the command line.
   */
  public static Arguments parse(List<String> args, Path home) {
    KafkaPassThrough kafka = KafkaPassThrough.split(args);
    SettingValues values = SettingValues.parse(kafka.otherArgs(), keys(), Set.of("help"));
    if (!values.positional().isEmpty()) {
      throw new InvalidSettingException("unexpected argument " + values.positional().get(0) + " (see --help)");
    }
    Path stateDir = home.resolve(values.get(STATE_DIR)).toAbsolutePath().normalize();
    List<String> servers = io.mailprobe.pipeline.config.Parsers.list(values.get(KafkaSettings.BOOTSTRAP_SERVERS));
    String server = servers.get(0);
    String host = server.substring(0, server.lastIndexOf(':'));
    if (servers.size() != 1 || !(host.equals("localhost") || host.equals("127.0.0.1"))) {
      throw new InvalidSettingException(
          "--bootstrap-servers " + values.get(KafkaSettings.BOOTSTRAP_SERVERS)
              + ": the embedded broker listens on this machine only; give one localhost:PORT or 127.0.0.1:PORT");
    }
    int port = Integer.parseInt(server.substring(server.lastIndexOf(':') + 1));
    values =
        values
            .withDefault(JobSettings.CHECKPOINT_INTERVAL.key(), LOCAL_CHECKPOINT_INTERVAL)
            .withDefault(JobSettings.CHECKPOINT_DIR.key(), stateDir.resolve("checkpoints").toUri().toString())
            .withDefault(
                JobSettings.PARALLELISM.key(),
                Integer.toString(Math.min(4, Runtime.getRuntime().availableProcessors())));
    return new Arguments(values, kafka.clientProperties(), stateDir, port, values.isGiven("help"));
  }

  private final LocalKafkaBroker broker;
  private final JobClient job;
  private final SettingValues jobValues;
  private final Path resumedFrom;

  private LocalRun(LocalKafkaBroker broker, JobClient job, SettingValues jobValues, Path resumedFrom) {
    this.broker = broker;
    this.job = job;
    this.jobValues = jobValues;
    this.resumedFrom = resumedFrom;
  }

  /**
   * Starts the broker (formatting its directory on first use), creates the topics, and submits the job, restored from
   * the newest retained checkpoint when there is one. Returns once the job is submitted.
   */
  public static LocalRun start(Arguments arguments) throws Exception {
    LocalKafkaBroker broker = new LocalKafkaBroker();
    try {
      String servers = broker.start(arguments.stateDir().resolve("kafka"), arguments.brokerPort());
      SettingValues values = arguments.values();
      broker.createTopics(
          PARTITIONS,
          values.get(KafkaSettings.SIGNUPS_TOPIC),
          values.get(KafkaSettings.VERDICTS_TOPIC),
          values.get(KafkaSettings.DLQ_TOPIC));
      Map<String, String> given = new LinkedHashMap<>(values.asMap());
      given.put(KafkaSettings.BOOTSTRAP_SERVERS.key(), servers);
      SettingValues jobValues = SettingValues.of(given, keys());

      Configuration conf = MailprobeJob.configuration(jobValues);
      // A laptop run should give up on a job that keeps failing rather than restart it forever (Flink's default).
      conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
      conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, RESTART_ATTEMPTS);
      conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, RESTART_DELAY);
      // The mini-cluster's REST endpoint: loopback only, any free port.
      conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
      conf.set(RestOptions.ADDRESS, "127.0.0.1");
      conf.set(RestOptions.BIND_PORT, "0");
      Path resumedFrom = localCheckpoints(jobValues).flatMap(RetainedCheckpoints::latest).orElse(null);
      if (resumedFrom != null) {
        conf.set(StateRecoveryOptions.SAVEPOINT_PATH, resumedFrom.toUri().toString());
      }
      StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(conf);
      MailprobeJob.wire(env, jobValues, arguments.kafkaProperties());
      JobClient job = env.executeAsync("mailprobe");
      return new LocalRun(broker, job, jobValues, resumedFrom);
    } catch (Exception | Error e) {
      broker.close();
      throw e;
    }
  }

  // Resuming needs to look into the directory; a remote checkpoint-dir (s3://...) is left to the cluster's ways.
  private static Optional<Path> localCheckpoints(SettingValues values) {
    URI dir = URI.create(values.get(JobSettings.CHECKPOINT_DIR));
    return "file".equals(dir.getScheme()) ? Optional.of(Path.of(dir)) : Optional.empty();
  }

  /** The broker's address, e.g. {@code 127.0.0.1:9092}. */
  public String bootstrapServers() {
    return broker.bootstrapServers();
  }

  /** The checkpoint this run resumed from, if any. */
  public Optional<Path> resumedFrom() {
    return Optional.ofNullable(resumedFrom);
  }

  /** The values the job runs with (the broker's real address included). */
  public SettingValues values() {
    return jobValues;
  }

  /** The running job. */
  public JobClient job() {
    return job;
  }

  /**
   * Cancels the job, which keeps its last completed checkpoint (RETAIN_ON_CANCELLATION), waits for it to stop, then
   * stops the broker. Verdicts after that checkpoint were never committed: the next run makes them again.
   */
  @Override
  public void close() {
    try {
      if (!job.getJobExecutionResult().isDone()) {
        job.cancel().get(STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
      }
      job.getJobExecutionResult().handle((result, failure) -> null).get(STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      // Stopping anyway: the broker must not outlive the run.
    } finally {
      broker.close();
    }
  }

  public static void main(String[] args) {
    System.exit(runFromCommandLine(Arrays.asList(args), System.out, System.err));
  }

  private static int runFromCommandLine(List<String> args, PrintStream out, PrintStream err) {
    long startedAt = System.nanoTime();
    Path home = Path.of(System.getProperty("mailprobe.home", "."));
    Arguments arguments;
    try {
      arguments = parse(args, home);
    } catch (InvalidSettingException e) {
      err.println("run: " + e.getMessage());
      return 2;
    }
    if (arguments.help()) {
      out.print(usage());
      return 0;
    }
    if (!portIsFree(arguments.brokerPort())) {
      err.println(
          "run: port " + arguments.brokerPort() + " on 127.0.0.1 is taken (another Kafka, or scripts/run running"
              + " already?). Stop it, or run the embedded broker on another port: scripts/run --bootstrap-servers"
              + " localhost:19092 (and pass the same to scripts/produce and scripts/consume)");
      return 1;
    }
    // Flink and Kafka log plenty; it goes to a file (scripts/run's log4j2 configuration reads this property).
    System.setProperty("mailprobe.log.file", arguments.stateDir().resolve("run.log").toString());
    CountDownLatch stop = new CountDownLatch(1);
    StopSignals.onInterruptOrTerminate(stop::countDown);

    err.println("run: starting Kafka and the Flink mini-cluster (state in " + arguments.stateDir() + ") ...");
    LocalRun run;
    try {
      run = start(arguments);
    } catch (Exception e) {
      err.println("run: could not start: " + e + " (details in " + arguments.stateDir().resolve("run.log") + ")");
      return 1;
    }
    try (run) {
      out.print(banner(run, arguments, Duration.ofNanos(System.nanoTime() - startedAt)));
      out.flush();
      ProgressLine progress = ProgressLine.forStderr(err);
      try (TopicTally tally =
          new TopicTally(
              run.bootstrapServers(),
              run.values().get(KafkaSettings.SIGNUPS_TOPIC),
              run.values().get(KafkaSettings.VERDICTS_TOPIC),
              run.values().get(KafkaSettings.DLQ_TOPIC))) {
        while (!stop.await(1, TimeUnit.SECONDS)) {
          progress.show(tally.update().line());
          if (run.job().getJobExecutionResult().isDone()) {
            progress.end();
            err.println("run: the job stopped after " + RESTART_ATTEMPTS + " restarts: " + failure(run)
                + " (details in " + arguments.stateDir().resolve("run.log") + ")");
            return 1;
          }
        }
        progress.show(tally.update().line());
        progress.end();
      }
      err.println("run: stopping (the job keeps its last checkpoint; the next scripts/run resumes from it) ...");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      err.println("run: " + e);
      return 1;
    }
    err.println("run: stopped");
    return 0;
  }

  private static String failure(LocalRun run) {
    try {
      run.job().getJobExecutionResult().getNow(null);
      return "it finished";
    } catch (Exception e) {
      Throwable cause = e;
      while (cause.getCause() != null) {
        cause = cause.getCause();
      }
      return cause.toString();
    }
  }

  private static boolean portIsFree(int port) {
    if (port == 0) {
      return true;
    }
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static String banner(LocalRun run, Arguments arguments, Duration startup) {
    SettingValues v = run.values();
    // The commands people copy must reach this broker and these topics, so non-default ones are spelled out.
    StringBuilder common = new StringBuilder();
    if (!v.get(KafkaSettings.BOOTSTRAP_SERVERS).equals("127.0.0.1:9092")) {
      common.append(" --bootstrap-servers ").append(v.get(KafkaSettings.BOOTSTRAP_SERVERS));
    }
    String produce =
        "scripts/produce" + common
            + (arguments.values().isGiven(KafkaSettings.SIGNUPS_TOPIC.key())
                ? " --signups-topic " + v.get(KafkaSettings.SIGNUPS_TOPIC)
                : "");
    String consume =
        "scripts/consume" + common
            + (arguments.values().isGiven(KafkaSettings.VERDICTS_TOPIC.key())
                ? " --verdicts-topic " + v.get(KafkaSettings.VERDICTS_TOPIC)
                : "");
    String deadLetters =
        "scripts/consume" + common
            + (arguments.values().isGiven(KafkaSettings.DLQ_TOPIC.key())
                ? " --dlq-topic " + v.get(KafkaSettings.DLQ_TOPIC)
                : "")
            + " --dead-letters";
    return String.format(
        "mailprobe is running (ready in %.1f s)%n"
            + "  kafka:        %s (data in %s)%n"
            + "  topics:       %s (signups in), %s (verdicts out), %s (dead letters), %d partitions each%n"
            + "  flink:        mini-cluster, parallelism %d, RocksDB, checkpoints every %s in %s%n"
            + "  state:        %s%n"
            + "  produce:      echo jane.doe@example.com | %s      (or: %s addresses.txt)%n"
            + "  consume:      %s --follow --table%n"
            + "  dead letters: %s%n"
            + "Ctrl-C stops it; the next scripts/run resumes from the last checkpoint.%n",
        startup.toMillis() / 1000.0,
        v.get(KafkaSettings.BOOTSTRAP_SERVERS),
        arguments.stateDir().resolve("kafka"),
        v.get(KafkaSettings.SIGNUPS_TOPIC),
        v.get(KafkaSettings.VERDICTS_TOPIC),
        v.get(KafkaSettings.DLQ_TOPIC),
        PARTITIONS,
        v.get(JobSettings.PARALLELISM),
        v.asMap().get(JobSettings.CHECKPOINT_INTERVAL.key()),
        v.get(JobSettings.CHECKPOINT_DIR),
        run.resumedFrom().map(p -> "resumed from " + p).orElse("fresh start (no retained checkpoint)"),
        produce,
        produce,
        consume,
        deadLetters);
  }

  private static String usage() {
    return "usage: scripts/run [options]\n"
        + "Runs the mailprobe job on its embedded default: a single-node Kafka broker (KRaft) and a Flink\n"
        + "mini-cluster in one process, with RocksDB state and checkpoints under --state-dir. Stopped with Ctrl-C,\n"
        + "it keeps its last checkpoint and the next run resumes from it. Defaults that differ from a cluster's:\n"
        + "checkpoint-interval " + LOCAL_CHECKPOINT_INTERVAL + ", checkpoint-dir <state-dir>/checkpoints, parallelism"
        + " min(4, cores).\n\n"
        + "  --help                         this text\n"
        + "  --kafka.<property> V           any other Kafka client property for the job's consumer and producers\n"
        + SettingValues.usage(keys());
  }
}
