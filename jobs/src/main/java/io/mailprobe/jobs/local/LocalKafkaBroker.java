package io.mailprobe.jobs.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;

/**
 * A single-node Kafka broker in KRaft mode (broker and controller in one process), run in this JVM from the
 * project's own Maven artifacts: the broker of the embedded default ({@code scripts/run}) and of the tests. It
 * listens on 127.0.0.1 only.
 *
 * <p>Its data directory is formatted on first start and reused after that, so a restart keeps topics, records,
 * committed offsets and open transactions: the embedded default resumes where it stopped.
 *
 * <p>Optionally ({@link #withSaslPlainListener}) it also listens for SASL_PLAINTEXT clients with the PLAIN mechanism
 * on a second loopback port, so that tests can check that credentials reach the job's Kafka clients; the broker's
 * own inter-broker and controller listeners stay PLAINTEXT.
 *
 * <p>Not for clusters: {@code kafka_2.13} is an optional dependency that the shaded job jar leaves out.
 */
public final class LocalKafkaBroker implements AutoCloseable {

  private static final String HOST = "127.0.0.1";
  private static final int NODE_ID = 1;
  private static final long ADMIN_TIMEOUT_SECONDS = 30;

  /** The name of the optional SASL listener (also its security protocol). */
  public static final String SASL_LISTENER = "SASL_PLAINTEXT";

  private KafkaRaftServer server;
  private String bootstrapServers;
  private Map<String, String> saslUsers;
  private String saslBootstrapServers;

  /**
   * Adds a SASL_PLAINTEXT listener with the PLAIN mechanism on another loopback port, for the given users
   * (name to password). Call before {@link #start}; its address is {@link #saslBootstrapServers()}.
   */
  public synchronized LocalKafkaBroker withSaslPlainListener(Map<String, String> users) {
    if (server != null) {
      throw new IllegalStateException("add the SASL listener before start");
    }
    if (users.isEmpty()) {
      throw new IllegalArgumentException("the SASL listener needs at least one user");
    }
    for (Map.Entry<String, String> u : users.entrySet()) {
      if (!u.getKey().matches("[A-Za-z0-9._-]+") || u.getValue().contains("\"") || u.getValue().contains("\\")) {
        throw new IllegalArgumentException("user names are [A-Za-z0-9._-]+, passwords without quotes or backslashes");
      }
    }
    saslUsers = new LinkedHashMap<>(users);
    return this;
  }

  /**
   * Formats {@code dataDir} unless it holds a broker already, starts the broker on {@code port} (0: any free port)
   * and returns its bootstrap servers, e.g. {@code 127.0.0.1:41234}.
   */
  public synchronized String start(Path dataDir, int port) throws IOException {
    if (server != null) {
      throw new IllegalStateException("already started at " + bootstrapServers);
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0 (any free port) or 1-65535: " + port);
    }
    Files.createDirectories(dataDir);
    int brokerPort = port == 0 ? freePort() : port;
    // The controller's port is only spoken to inside this process, but KRaft needs it written in the voter list
    // before start, so it cannot be left to the kernel the way a listener's port 0 can.
    int controllerPort = freePort();
    Path logDir = dataDir.toAbsolutePath().resolve("kraft-logs");
    Properties config = config(logDir, brokerPort, controllerPort);
    int saslPort = 0;
    if (saslUsers != null) {
      saslPort = freePort();
      addSaslListener(config, saslPort, saslUsers);
    }
    Path file = dataDir.resolve("server.properties");
    Properties written = new Properties();
    written.putAll(config);
    written.remove(jaasKey()); // the users' passwords stay in memory
    try (OutputStream out = Files.newOutputStream(file)) {
      written.store(out, "written by LocalKafkaBroker on each start");
    }
    // A formatted directory keeps its cluster id; formatting again (even with --ignore-formatted, which still
    // compares the id) would refuse it.
    if (!Files.exists(logDir.resolve("meta.properties"))) {
      format(file);
    }
    KafkaRaftServer started = new KafkaRaftServer(KafkaConfig.fromProps(config, false), Time.SYSTEM);
    try {
      started.startup();
    } catch (RuntimeException e) {
      started.shutdown();
      throw e;
    }
    server = started;
    bootstrapServers = HOST + ":" + brokerPort;
    saslBootstrapServers = saslUsers == null ? null : HOST + ":" + saslPort;
    return bootstrapServers;
  }

  /** The SASL_PLAINTEXT listener's bootstrap servers; throws unless it was asked for and the broker is running. */
  public synchronized String saslBootstrapServers() {
    if (server == null || saslBootstrapServers == null) {
      throw new IllegalStateException("no SASL listener is running");
    }
    return saslBootstrapServers;
  }

  /** The broker's bootstrap servers; throws if it is not running. */
  public synchronized String bootstrapServers() {
    if (server == null) {
      throw new IllegalStateException("the broker is not running");
    }
    return bootstrapServers;
  }

  /**
   * Creates each topic with {@code partitions} partitions unless it exists already, and waits until the broker has
   * them. Topics must exist before a job starts: with auto-creation off, a sink writing to a missing topic stalls.
   */
  public void createTopics(int partitions, String... topics) {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be positive: " + partitions);
    }
    List<NewTopic> wanted = new ArrayList<>();
    for (String topic : topics) {
      wanted.add(new NewTopic(topic, partitions, (short) 1));
    }
    try (Admin admin = admin()) {
      for (Map.Entry<String, org.apache.kafka.common.KafkaFuture<Void>> created :
          admin.createTopics(wanted).values().entrySet()) {
        try {
          created.getValue().get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException("could not create topic " + created.getKey(), e.getCause());
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("the broker did not create the topics in " + ADMIN_TIMEOUT_SECONDS + " s", e);
    }
  }

  /** An admin client for this broker; the caller closes it. */
  public Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
  }

  /** Stops the broker; its data directory stays for the next start. */
  @Override
  public synchronized void close() {
    if (server != null) {
      server.shutdown();
      server.awaitShutdown();
      server = null;
    }
  }

  private static Properties config(Path logDir, int brokerPort, int controllerPort) {
    Properties p = new Properties();
    p.setProperty("process.roles", "broker,controller");
    p.setProperty("node.id", Integer.toString(NODE_ID));
    // A static voter list, not --standalone's dynamic quorum: the dynamic one records the controller's endpoint
    // in the metadata log, which would pin the controller to the port it had when the directory was formatted.
    p.setProperty("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
    p.setProperty("listeners", "PLAINTEXT://" + HOST + ":" + brokerPort + ",CONTROLLER://" + HOST + ":" + controllerPort);
    p.setProperty("advertised.listeners", "PLAINTEXT://" + HOST + ":" + brokerPort);
    p.setProperty("controller.listener.names", "CONTROLLER");
    p.setProperty("inter.broker.listener.name", "PLAINTEXT");
    p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.setProperty("log.dirs", logDir.toString());
    // One node: every internal topic has one replica, and one partition keeps the first group or transaction fast.
    p.setProperty("offsets.topic.replication.factor", "1");
    p.setProperty("offsets.topic.num.partitions", "1");
    p.setProperty("transaction.state.log.replication.factor", "1");
    p.setProperty("transaction.state.log.min.isr", "1");
    p.setProperty("transaction.state.log.num.partitions", "1");
    p.setProperty("share.coordinator.state.topic.replication.factor", "1");
    p.setProperty("share.coordinator.state.topic.min.isr", "1");
    // Room above the exactly-once sink's 15-minute transactions, so a job with long checkpoints is not refused.
    p.setProperty("transaction.max.timeout.ms", Long.toString(TimeUnit.HOURS.toMillis(1)));
    // A typo in a topic name should fail loudly, not create an empty topic.
    p.setProperty("auto.create.topics.enable", "false");
    p.setProperty("num.partitions", "1");
    p.setProperty("group.initial.rebalance.delay.ms", "0");
    // After a kill -9 the restarted node finds its own previous registration and cannot register again until that
    // session expires (9 s by default): a single node heartbeats only to itself, so a short session costs nothing.
    p.setProperty("broker.session.timeout.ms", "3000");
    p.setProperty("broker.heartbeat.interval.ms", "1000");
    return p;
  }

  private static String jaasKey() {
    return "listener.name." + SASL_LISTENER.toLowerCase(Locale.ROOT) + ".plain.sasl.jaas.config";
  }

  private static void addSaslListener(Properties p, int saslPort, Map<String, String> users) {
    String sasl = SASL_LISTENER + "://" + HOST + ":" + saslPort;
    p.setProperty("listeners", p.getProperty("listeners") + "," + sasl);
    p.setProperty("advertised.listeners", p.getProperty("advertised.listeners") + "," + sasl);
    p.setProperty("listener.security.protocol.map",
        p.getProperty("listener.security.protocol.map") + "," + SASL_LISTENER + ":SASL_PLAINTEXT");
    String prefix = "listener.name." + SASL_LISTENER.toLowerCase(Locale.ROOT) + ".";
    p.setProperty(prefix + "sasl.enabled.mechanisms", "PLAIN");
    StringBuilder jaas = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required");
    users.forEach((user, password) -> jaas.append(" user_").append(user).append("=\"").append(password).append('"'));
    p.setProperty(jaasKey(), jaas.append(';').toString());
  }

  private static void format(Path configFile) {
    String clusterId = Uuid.randomUuid().toString();
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    int status;
    try (PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8)) {
      status = StorageTool.execute(new String[] {"format", "-t", clusterId, "-c", configFile.toString()}, out);
    } catch (RuntimeException e) {
      throw new IllegalStateException("could not format the broker's storage: " + e.getMessage(), e);
    }
    if (status != 0) {
      throw new IllegalStateException(
          "could not format the broker's storage: " + log.toString(StandardCharsets.UTF_8).trim());
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on " + HOST, e);
    }
  }
}
