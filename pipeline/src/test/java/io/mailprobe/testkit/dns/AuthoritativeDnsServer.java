package io.mailprobe.testkit.dns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A real DNS server for tests and demo worlds: answers over UDP and TCP on one port of a loopback address (default
 * 127.0.0.1, ephemeral port) from a programmatic {@link Zone}, and counts the queries it receives per name and type
 * so that tests can see what a resolver's cache saved. Built on dnsjava's wire format and plain sockets.
 *
 * <p>Run it from a script with {@code main(zone-file [bind-address [port]])}; see {@link ZoneFile} for the format.
 */
public final class AuthoritativeDnsServer implements AutoCloseable {
  private static final int UDP_PLAIN_LIMIT = 512;
  private static final int BIND_ATTEMPTS = 20;
  private static final int EDNS_PAYLOAD = 1232;

  private final InetAddress bindAddress;
  private final int requestedPort;
  private final Zone zone = new Zone();
  private final ConcurrentMap<String, LongAdder> queryCounts = new ConcurrentHashMap<>();
  private final LongAdder totalQueries = new LongAdder();
  private final ExecutorService threads;
  private volatile DatagramSocket udp;
  private volatile ServerSocket tcp;
  private volatile boolean running;
  private volatile boolean silenced;

  /** A server on 127.0.0.1 and an ephemeral port. */
  public AuthoritativeDnsServer() {
    this(InetAddress.getLoopbackAddress(), 0);
  }

  /** A server on {@code bindAddress} and an ephemeral port. */
  public AuthoritativeDnsServer(InetAddress bindAddress) {
    this(bindAddress, 0);
  }

  /** A server on {@code bindAddress} and {@code port} (0: ephemeral). */
  public AuthoritativeDnsServer(InetAddress bindAddress, int port) {
    this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    this.requestedPort = port;
    AtomicInteger serial = new AtomicInteger();
    this.threads =
        Executors.newCachedThreadPool(
            task -> {
              Thread t = new Thread(task, "dns-fixture-" + serial.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /** Binds UDP and TCP on the same port and starts answering. */
  public synchronized AuthoritativeDnsServer start() {
    if (running) {
      return this;
    }
    bind();
    running = true;
    DatagramSocket boundUdp = udp;
    ServerSocket boundTcp = tcp;
    threads.execute(() -> serveUdp(boundUdp));
    threads.execute(() -> acceptTcp(boundTcp));
    return this;
  }

  private void bind() {
    IOException last = null;
    int attempts = requestedPort == 0 ? BIND_ATTEMPTS : 1;
    for (int i = 0; i < attempts; i++) {
      ServerSocket stream = null;
      try {
        stream = new ServerSocket();
        stream.setReuseAddress(true);
        stream.bind(new InetSocketAddress(bindAddress, requestedPort), 128);
        // The TCP port was free; the same UDP port may not be: then try another pair.
        DatagramSocket datagram = new DatagramSocket(new InetSocketAddress(bindAddress, stream.getLocalPort()));
        this.tcp = stream;
        this.udp = datagram;
        return;
      } catch (IOException e) {
        last = e;
        closeQuietly(stream);
        if (!(e instanceof BindException)) {
          break;
        }
      }
    }
    throw new UncheckedIOException("cannot bind UDP and TCP on " + bindAddress.getHostAddress(), last);
  }

  /** The port UDP and TCP listen on. */
  public int port() {
    requireStarted();
    return udp.getLocalPort();
  }

  /** The address the server is bound to. */
  public InetAddress address() {
    return bindAddress;
  }

  /** Address and port together, ready for a resolver's server list. */
  public InetSocketAddress socketAddress() {
    return new InetSocketAddress(bindAddress, port());
  }

  /** {@code host:port} ({@code [v6]:port} for IPv6), the form scripts and DnsSettings.parseServers take. */
  public String serverSpec() {
    String host = bindAddress.getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
  }

  /** The zone served; changes take effect at the next query. */
  public Zone zone() {
    return zone;
  }

  /** @see Zone#ttl(long) */
  public AuthoritativeDnsServer ttl(long seconds) {
    zone.ttl(seconds);
    return this;
  }

  /** @see Zone#negativeTtl(long) */
  public AuthoritativeDnsServer negativeTtl(long seconds) {
    zone.negativeTtl(seconds);
    return this;
  }

  /** @see Zone#mx(String, int, String) */
  public AuthoritativeDnsServer mx(String domain, int preference, String host) {
    zone.mx(domain, preference, host);
    return this;
  }

  /** @see Zone#nullMx(String) */
  public AuthoritativeDnsServer nullMx(String domain) {
    zone.nullMx(domain);
    return this;
  }

  /** @see Zone#a(String, String) */
  public AuthoritativeDnsServer a(String host, String ipv4) {
    zone.a(host, ipv4);
    return this;
  }

  /** @see Zone#aaaa(String, String) */
  public AuthoritativeDnsServer aaaa(String host, String ipv6) {
    zone.aaaa(host, ipv6);
    return this;
  }

  /** @see Zone#cname(String, String) */
  public AuthoritativeDnsServer cname(String alias, String target) {
    zone.cname(alias, target);
    return this;
  }

  /** @see Zone#txt(String, String) */
  public AuthoritativeDnsServer txt(String owner, String text) {
    zone.txt(owner, text);
    return this;
  }

  /** @see Zone#servfail(String) */
  public AuthoritativeDnsServer servfail(String owner) {
    zone.servfail(owner);
    return this;
  }

  /** @see Zone#refused(String) */
  public AuthoritativeDnsServer refused(String owner) {
    zone.refused(owner);
    return this;
  }

  /** @see Zone#silent(String) */
  public AuthoritativeDnsServer silent(String owner) {
    zone.silent(owner);
    return this;
  }

  /** Adds the records of a zone file; see {@link ZoneFile}. */
  public AuthoritativeDnsServer load(Path zoneFile) throws IOException {
    ZoneFile.load(zoneFile, zone);
    return this;
  }

  /** Queries received for {@code name} and {@code type} (e.g. "MX"), over UDP and TCP, answered or not. */
  public long queryCount(String name, String type) {
    int code = Type.value(type);
    if (code < 0) {
      throw new IllegalArgumentException("unknown record type: " + type);
    }
    LongAdder count = queryCounts.get(countKey(Zone.name(name), code));
    return count == null ? 0 : count.sum();
  }

  /** All queries received. */
  public long totalQueries() {
    return totalQueries.sum();
  }

  private void serveUdp(DatagramSocket socket) {
    byte[] buffer = new byte[65_535];
    while (running) {
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      try {
        socket.receive(packet);
      } catch (IOException e) {
        if (running) {
          continue; // a transient receive error must not stop the server
        }
        return;
      }
      byte[] request = Arrays.copyOfRange(buffer, packet.getOffset(), packet.getOffset() + packet.getLength());
      Optional<byte[]> reply = handle(request, true);
      if (reply.isPresent()) {
        try {
          socket.send(new DatagramPacket(reply.get(), reply.get().length, packet.getSocketAddress()));
        } catch (IOException e) {
          // the client went away; nothing to do
        }
      }
    }
  }

  private void acceptTcp(ServerSocket server) {
    while (running) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        if (running) {
          continue;
        }
        return;
      }
      threads.execute(() -> serveTcp(client));
    }
  }

  private void serveTcp(Socket client) {
    try (client;
        DataInputStream in = new DataInputStream(client.getInputStream());
        DataOutputStream out = new DataOutputStream(client.getOutputStream())) {
      client.setSoTimeout(30_000);
      while (running) {
        int length;
        try {
          length = in.readUnsignedShort();
        } catch (EOFException e) {
          return;
        }
        Optional<byte[]> reply = handle(readFully(in, length), false);
        if (reply.isPresent()) {
          out.writeShort(reply.get().length);
          out.write(reply.get());
          out.flush();
        }
      }
    } catch (IOException e) {
      // connection dropped or idle too long: close it
    }
  }

  private static byte[] readFully(InputStream in, int length) throws IOException {
    byte[] data = in.readNBytes(length);
    if (data.length != length) {
      throw new EOFException("truncated TCP DNS message");
    }
    return data;
  }

  /**
   * While {@code silenced}, the server reads every query and answers none (an outage: resolvers time out); the
   * queries are still counted.
   */
  public AuthoritativeDnsServer silence(boolean silenced) {
    this.silenced = silenced;
    return this;
  }

  /** The reply to one wire-format query, or empty to stay silent. */
  private Optional<byte[]> handle(byte[] request, boolean overUdp) {
    Message query;
    try {
      query = new Message(request);
    } catch (IOException e) {
      return formerr(request);
    }
    Record question = query.getQuestion();
    if (question != null) {
      count(question);
    }
    if (silenced) {
      return Optional.empty();
    }
    Optional<Message> answer = zone.answer(query);
    if (answer.isEmpty()) {
      return Optional.empty();
    }
    Message reply = answer.get();
    if (query.getOPT() != null) {
      reply.addRecord(new OPTRecord(EDNS_PAYLOAD, 0, 0), Section.ADDITIONAL);
    }
    // toWire(limit) drops what does not fit and sets TC, sending the client to TCP.
    return Optional.of(reply.toWire(overUdp ? udpLimit(query) : 65_535));
  }

  /** FORMERR for a message whose header survived but whose body did not parse; nothing if even the header is bad. */
  private static Optional<byte[]> formerr(byte[] request) {
    if (request.length < Header.LENGTH) {
      return Optional.empty();
    }
    try {
      Header header = new Header(Arrays.copyOf(request, Header.LENGTH));
      Message reply = new Message(header.getID());
      reply.getHeader().setFlag(Flags.QR);
      reply.getHeader().setRcode(Rcode.FORMERR);
      return Optional.of(reply.toWire());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static int udpLimit(Message query) {
    OPTRecord opt = query.getOPT();
    return opt == null ? UDP_PLAIN_LIMIT : Math.max(UDP_PLAIN_LIMIT, Math.min(opt.getPayloadSize(), EDNS_PAYLOAD));
  }

  private void count(Record question) {
    totalQueries.increment();
    queryCounts.computeIfAbsent(countKey(question.getName(), question.getType()), k -> new LongAdder()).increment();
  }

  private static String countKey(Name name, int type) {
    return name.canonicalize().toString() + " " + Type.string(type);
  }

  private void requireStarted() {
    if (udp == null) {
      throw new IllegalStateException("server not started");
    }
  }

  @Override
  public synchronized void close() {
    running = false;
    closeQuietly(udp);
    closeQuietly(tcp);
    threads.shutdownNow();
  }

  private static void closeQuietly(AutoCloseable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception e) {
      // closing on the way out: nothing useful to do
    }
  }

  /**
   * Serves a zone file until the process is killed: {@code AuthoritativeDnsServer zone-file [bind-address [port]]}.
   * Prints {@code listening <address>:<port>} once ready, for scripts to read.
   */
  public static void main(String[] args) throws Exception {
    if (args.length < 1 || args.length > 3) {
      System.err.println("usage: AuthoritativeDnsServer zone-file [bind-address (default 127.0.0.1) [port (default 0)]]");
      System.exit(2);
    }
    InetAddress bind = args.length > 1 ? InetAddress.getByName(args[1]) : InetAddress.getLoopbackAddress();
    int port = args.length > 2 ? Integer.parseInt(args[2]) : 0;
    AuthoritativeDnsServer server = new AuthoritativeDnsServer(bind, port);
    server.load(Path.of(args[0]));
    server.start();
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "dns-fixture-shutdown"));
    System.out.println("listening " + server.serverSpec());
    System.out.flush();
    Thread.currentThread().join(); // until killed
  }
}
