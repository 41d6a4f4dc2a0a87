package io.mailprobe.testkit.smtp;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A loopback SMTP world for tests, demos and benchmarks: many simulated mail servers, each on its own 127.0.0.x
 * address and all on the same port (the prober's SMTP port setting is global), each driven by a declarative
 * {@link HostBehaviour} and recording what it saw in a {@link HostRecord}.
 *
 * <pre>{@code
 * try (SmtpSimulator sim = SmtpSimulator.builder()
 *     .host("127.0.0.2", HostBehaviour.withMailboxes("alice@example.com"))
 *     .start()) {
 *   int port = sim.port();
 * }
 * }</pre>
 */
public final class SmtpSimulator implements AutoCloseable {

  private final EventLoopGroup group;
  private final List<Channel> listeners;
  private final Map<String, HostRecord> records;
  private final Map<String, HostBehaviour> behaviours;
  private final int port;

  private SmtpSimulator(
      EventLoopGroup group,
      List<Channel> listeners,
      Map<String, HostRecord> records,
      Map<String, HostBehaviour> behaviours,
      int port) {
    this.group = group;
    this.listeners = listeners;
    this.records = records;
    this.behaviours = behaviours;
    this.port = port;
  }

  /**
   * Changes how the host at {@code address} behaves from its next session on (sessions already open keep theirs):
   * a server that starts refusing or slowing down in the middle of a run. A host started with
   * {@code refuseConnections} has no listener and cannot be changed; nor can a host be changed into one.
   */
  public void behave(String address, HostBehaviour behaviour) {
    String key = loopback(address).getHostAddress();
    HostBehaviour before = behaviours.get(key);
    if (before == null) {
      throw new IllegalArgumentException("no simulated host at " + address);
    }
    if (before.refuseConnections() || behaviour.refuseConnections()) {
      throw new IllegalArgumentException("refuseConnections cannot be switched at run time: " + address);
    }
    behaviours.put(key, behaviour);
  }

  /** How the host at {@code address} behaves now. */
  public HostBehaviour behaviour(String address) {
    return behaviours.get(loopback(address).getHostAddress());
  }

  /** What every host saw, by address. */
  public Map<String, HostRecord> hosts() {
    return java.util.Collections.unmodifiableMap(records);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The port every simulated host listens on. */
  public int port() {
    return port;
  }

  /** What the host at {@code address} saw. */
  public HostRecord host(String address) {
    HostRecord r = records.get(address);
    if (r == null) {
      throw new IllegalArgumentException("no simulated host at " + address);
    }
    return r;
  }

  /** True when any host ever received DATA. */
  public boolean anyDataReceived() {
    return records.values().stream().anyMatch(HostRecord::dataReceived);
  }

  @Override
  public void close() {
    listeners.forEach(Channel::close);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** Collects hosts and starts them. */
  public static final class Builder {
    private final Map<String, HostBehaviour> hosts = new LinkedHashMap<>();
    private int port;
    private int threads = 1;

    private Builder() {}

    /** A simulated host on a loopback address such as {@code 127.0.0.2}. */
    public Builder host(String loopbackAddress, HostBehaviour behaviour) {
      InetAddress address = loopback(loopbackAddress);
      hosts.put(address.getHostAddress(), Objects.requireNonNull(behaviour));
      return this;
    }

    /** The shared port; 0 (default) picks a free one. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder threads(int threads) {
      this.threads = threads;
      return this;
    }

    public SmtpSimulator start() {
      EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
      List<Channel> listeners = new ArrayList<>();
      Map<String, HostRecord> records = new LinkedHashMap<>();
      Map<String, HostBehaviour> behaviours = new java.util.concurrent.ConcurrentHashMap<>(hosts);
      int shared = port;
      try {
        SslContext tls = serverTls();
        for (Map.Entry<String, HostBehaviour> e : hosts.entrySet()) {
          HostRecord record = new HostRecord();
          records.put(e.getKey(), record);
          HostBehaviour behaviour = e.getValue();
          String address = e.getKey();
          if (behaviour.refuseConnections()) {
            continue;
          }
          Channel listener =
              new ServerBootstrap()
                  .group(group)
                  .channel(NioServerSocketChannel.class)
                  .option(ChannelOption.SO_REUSEADDR, true)
                  .childHandler(
                      new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                          ch.pipeline().addLast(new LineBasedFrameDecoder(4096));
                          ch.pipeline().addLast(new SimulatedSession(behaviours.get(address), record, () -> tls));
                        }
                      })
                  .bind(new InetSocketAddress(loopback(e.getKey()), shared))
                  .syncUninterruptibly()
                  .channel();
          listeners.add(listener);
          shared = ((InetSocketAddress) listener.localAddress()).getPort();
        }
        if (shared == 0) {
          shared = freePort();
        }
      } catch (RuntimeException ex) {
        listeners.forEach(Channel::close);
        group.shutdownGracefully();
        throw ex;
      }
      return new SmtpSimulator(group, listeners, records, behaviours, shared);
    }
  }

  private static InetAddress loopback(String address) {
    try {
      InetAddress a = InetAddress.getByName(address);
      if (!a.isLoopbackAddress()) {
        throw new IllegalArgumentException("simulated hosts live on loopback only: " + address);
      }
      return a;
    } catch (IOException e) {
      throw new IllegalArgumentException("not an address: " + address, e);
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static SslContext serverTls() {
    try {
      X509Bundle cert = new CertificateBuilder()
          .subject("CN=mx.simulated.test")
          .addSanDnsName("mx.simulated.test")
          .setIsCertificateAuthority(true)
          .buildSelfSigned();
      return SslContextBuilder.forServer(cert.toKeyManagerFactory()).build();
    } catch (Exception e) {
      throw new IllegalStateException("cannot build the simulator's self-signed certificate", e);
    }
  }

  /**
   * Starts a simulator until the process is killed. Arguments: {@code [--port N] address=spec ...} where spec is
   * {@code catch-all}, {@code tarpit}, {@code refuse} or a comma-separated list of mailboxes.
   */
  public static void main(String[] args) throws InterruptedException {
    Builder b = builder();
    for (int i = 0; i < args.length; i++) {
      if ("--port".equals(args[i]) && i + 1 < args.length) {
        b.port(Integer.parseInt(args[++i]));
        continue;
      }
      String[] kv = args[i].split("=", 2);
      HostBehaviour.Builder hb = HostBehaviour.builder();
      String spec = kv.length > 1 ? kv[1] : "";
      switch (spec) {
        case "catch-all" -> hb.catchAll();
        case "tarpit" -> hb.tarpit();
        case "refuse" -> hb.refuseConnections();
        default -> hb.mailboxes(spec.isEmpty() ? new String[0] : spec.split(","));
      }
      b.host(kv[0], hb.build());
    }
    SmtpSimulator sim = b.start();
    System.out.println("smtp simulator listening on port " + sim.port());
    Runtime.getRuntime().addShutdownHook(new Thread(sim::close));
    new CountDownLatch(1).await();
  }
}
