package io.mailprobe.connectors.cli;

import io.mailprobe.connectors.config.KafkaPassThrough;
import io.mailprobe.connectors.config.KafkaSettings;
import io.mailprobe.connectors.kafka.KafkaConnection;
import io.mailprobe.pipeline.config.Setting;
import io.mailprobe.pipeline.config.SettingValues;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code scripts/produce}: sends signup events to the signups topic, one per line of a file or standard input (see
 * {@link SignupLine} for what a line may be), and says how many it sent.
 */
public final class ProduceCommand {

  static final List<Setting<?>> KEYS = List.of(KafkaSettings.BOOTSTRAP_SERVERS, KafkaSettings.SIGNUPS_TOPIC);
  // How long to wait for a broker that does not answer: long enough for a busy laptop, short enough to be told.
  private static final Duration BROKER_WAIT = Duration.ofSeconds(10);

  private ProduceCommand() {}

  public static void main(String[] args) {
    System.exit(run(Arrays.asList(args), System.in, System.out, System.err));
  }

  /** Runs the producer; returns the process exit code (0 sent, 2 bad usage, 1 failure). */
  public static int run(List<String> args, InputStream stdin, PrintStream out, PrintStream err) {
    SettingValues settings;
    KafkaConnection connection;
    try {
      KafkaPassThrough kafka = KafkaPassThrough.split(args);
      settings = SettingValues.parse(kafka.otherArgs(), KEYS, Set.of("help"));
      connection = new KafkaConnection(settings.get(KafkaSettings.BOOTSTRAP_SERVERS), kafka.clientProperties());
    } catch (IllegalArgumentException e) { // InvalidSettingException too
      err.println("produce: " + e.getMessage());
      return 2;
    }
    if (settings.isGiven("help")) {
      out.print(usage());
      return 0;
    }
    List<String> files = settings.positional();
    if (files.size() > 1) {
      err.println("produce: give at most one file (or none to read standard input); see --help");
      return 2;
    }
    InputStream in;
    try {
      in = files.isEmpty() || files.get(0).equals("-") ? stdin : Files.newInputStream(Path.of(files.get(0)));
    } catch (NoSuchFileException e) {
      err.println("produce: no such file: " + files.get(0));
      return 2;
    } catch (IOException e) {
      err.println("produce: cannot read " + files.get(0) + ": " + e.getMessage());
      return 2;
    }
    String topic = settings.get(KafkaSettings.SIGNUPS_TOPIC);
    try (in;
        KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(producerProperties(connection), new ByteArraySerializer(), new ByteArraySerializer())) {
      try {
        // Fails fast with a clear message when the broker is not there or the topic is missing, instead of one
        // metadata wait per line.
        producer.partitionsFor(topic);
      } catch (org.apache.kafka.common.errors.AuthenticationException e) {
        err.println("produce: " + connection.bootstrapServers() + " refused our credentials: " + e.getMessage());
        return 1;
      } catch (KafkaException e) {
        err.println(
            "produce: topic " + topic + " is not available at " + connection.bootstrapServers() + " within "
                + BROKER_WAIT.toSeconds() + " s (is scripts/run running?): " + e.getMessage());
        return 1;
      }
      AtomicLong sent = new AtomicLong();
      AtomicReference<Exception> failure = new AtomicReference<>();
      long lines = 0;
      BufferedInputStream input = new BufferedInputStream(in);
      byte[] line;
      while ((line = readLine(input)) != null && failure.get() == null) {
        if (SignupLine.isBlank(line)) {
          continue;
        }
        byte[] value = SignupLine.value(line, UUID.randomUUID().toString(), Instant.now());
        lines++;
        producer.send(
            new ProducerRecord<>(topic, value),
            (metadata, e) -> {
              if (e == null) {
                sent.incrementAndGet();
              } else {
                failure.compareAndSet(null, e);
              }
            });
      }
      producer.flush();
      if (failure.get() != null) {
        err.println(
            "produce: sent " + sent.get() + " of " + lines + " events to " + topic + ", then: "
                + failure.get().getMessage());
        return 1;
      }
      out.println("produce: sent " + sent.get() + " events to " + topic + " at " + connection.bootstrapServers());
      return 0;
    } catch (IOException e) {
      err.println("produce: cannot read the input: " + e.getMessage());
      return 1;
    } catch (KafkaException e) {
      err.println("produce: " + e.getMessage());
      return 1;
    }
  }

  static Properties producerProperties(KafkaConnection connection) {
    Properties p = connection.properties();
    p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, connection.bootstrapServers());
    p.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
    p.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "mailprobe-produce");
    p.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(BROKER_WAIT.toMillis()));
    p.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(BROKER_WAIT.toMillis()));
    p.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(2 * BROKER_WAIT.toMillis()));
    return p;
  }

  // One line without its ending (\n or \r\n), as bytes: JSON lines must reach the topic exactly as written, which a
  // character reader would not promise for bytes that are not UTF-8. Null at the end of the input.
  static byte[] readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(128);
    int b;
    boolean any = false;
    while ((b = in.read()) != -1) {
      any = true;
      if (b == '\n') {
        break;
      }
      line.write(b);
    }
    if (!any) {
      return null;
    }
    byte[] bytes = line.toByteArray();
    return bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? Arrays.copyOf(bytes, bytes.length - 1) : bytes;
  }

  private static String usage() {
    return "usage: scripts/produce [options] [file]\n"
        + "Sends one signup event per line of the file (or of standard input) to the signups topic. A line that\n"
        + "starts with '{' is a JSON event, sent exactly as written; any other line is an address, sent as\n"
        + "{\"event_id\": <generated>, \"email\": <line>, \"ts\": <now>}. Blank lines are skipped.\n\n"
        + "  --help                         this text\n"
        + "  --kafka.<property> V           any other Kafka producer property\n"
        + SettingValues.usage(KEYS);
  }
}
