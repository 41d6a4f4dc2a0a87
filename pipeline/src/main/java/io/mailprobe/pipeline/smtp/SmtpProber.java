package io.mailprobe.pipeline.smtp;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.smtp.SmtpRequestEncoder;
import io.netty.handler.proxy.Socks5ProxyHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLException;

/**
 * Asks mail servers about recipients without ever sending mail (DESIGN §4): one {@link #probe} runs the SMTP
 * session(s) for a {@link ProbeRequest} on Netty's event loops. The returned stage always completes normally;
 * network trouble becomes {@link SessionFailure} inside {@link RcptOutcome.Unanswered}. Safe for many concurrent
 * probes; the caller is never blocked.
 *
 * <p>STARTTLS is opportunistic and unverified (any certificate is accepted: a prober sends no mail, so there is
 * nothing to protect but the recipient list), and {@code tls=true} is recorded. When a handshake fails, the same
 * address is dialled once more in plain text, as an MTA with opportunistic TLS does; if that server then demands
 * TLS, the recipients end as {@link SessionFailure.Kind#TLS_REQUIRED} after the remaining exchangers were tried.
 */
public final class SmtpProber implements AutoCloseable {

  private final SmtpClientSettings settings;
  private final EventLoopGroup group;
  private final boolean ownsGroup;
  private final Bootstrap bootstrap;
  private final SslContext tlsContext;
  private final AtomicLong sessionsOpened = new AtomicLong();
  private final AtomicInteger sessionsInFlight = new AtomicInteger();

  /** A prober with its own NIO event loop group, shut down by {@link #close()}. */
  public SmtpProber(SmtpClientSettings settings) {
    this(settings, new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory()), true);
  }

  /** A prober on a caller's NIO event loop group, which {@link #close()} leaves running. */
  public SmtpProber(SmtpClientSettings settings, EventLoopGroup group) {
    this(settings, group, false);
  }

  private SmtpProber(SmtpClientSettings settings, EventLoopGroup group, boolean ownsGroup) {
    this.settings = settings;
    this.group = group;
    this.ownsGroup = ownsGroup;
    this.bootstrap =
        new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.connectTimeout().toMillis())
            .option(ChannelOption.TCP_NODELAY, true);
    try {
      this.tlsContext =
          SslContextBuilder.forClient()
              .trustManager(InsecureTrustManagerFactory.INSTANCE)
              // Host names of MX servers rarely match their certificates; we record TLS, we do not trust it.
              .endpointIdentificationAlgorithm(null)
              .build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot build the TLS client context", e);
    }
  }

  /** Runs the sessions for one request; the stage always completes normally. */
  public CompletionStage<ProbeResult> probe(ProbeRequest request) {
    EventLoop loop = group.next();
    return new ProbeSession(request, settings, this, loop).start();
  }

  /** SMTP sessions (TCP connections) opened since this prober started. */
  public long sessionsOpened() {
    return sessionsOpened.get();
  }

  /** SMTP sessions currently open. */
  public int sessionsInFlight() {
    return sessionsInFlight.get();
  }

  public SmtpClientSettings settings() {
    return settings;
  }

  SslContext tlsContext() {
    return tlsContext;
  }

  /** Dials one address on {@code loop}; the channel's pipeline ends in an {@link SmtpConnection}. */
  ChannelFuture dial(EventLoop loop, InetAddress address) {
    Bootstrap b = bootstrap.clone(loop);
    b.handler(
        new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ChannelPipeline p = ch.pipeline();
            if (settings.socksProxy() != null) {
              Socks5ProxyHandler proxy = new Socks5ProxyHandler(settings.socksProxy());
              proxy.setConnectTimeoutMillis(settings.connectTimeout().toMillis());
              p.addLast(SmtpConnection.PROXY, proxy);
            }
            p.addLast(SmtpConnection.DECODER, SmtpConnection.newDecoder(settings));
            // Outbound runs tail to head: encoder first, then the guard sees the exact bytes.
            p.addLast("line-guard", new OutboundLineGuard());
            p.addLast("smtp-encoder", new SmtpRequestEncoder());
            p.addLast("smtp", new SmtpConnection(settings));
          }
        });
    InetSocketAddress remote = new InetSocketAddress(address, settings.port());
    ChannelFuture connect =
        settings.sourceAddress() == null
            ? b.connect(remote)
            : b.connect(remote, new InetSocketAddress(settings.sourceAddress(), 0));
    connect.addListener(
        f -> {
          if (f.isSuccess()) {
            sessionsOpened.incrementAndGet();
            sessionsInFlight.incrementAndGet();
            connect.channel().closeFuture().addListener(c -> sessionsInFlight.decrementAndGet());
          }
        });
    return connect;
  }

  @Override
  public void close() {
    if (ownsGroup) {
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  /** A stage for probes that cannot even start (prober closed). */
  static CompletableFuture<ProbeResult> failedToStart(ProbeRequest request, String detail) {
    SessionFailure failure =
        new SessionFailure(SessionFailure.Kind.CONNECTION_REFUSED, SmtpPhase.CONNECT, null, null, detail);
    return CompletableFuture.completedFuture(
        new ProbeResult(
            request.recipients().stream()
                .map(r -> (RcptOutcome) new RcptOutcome.Unanswered(r, failure))
                .toList(),
            request.catchAllProbe() == null ? null : new RcptOutcome.Unanswered(request.catchAllProbe(), failure),
            0));
  }
}
