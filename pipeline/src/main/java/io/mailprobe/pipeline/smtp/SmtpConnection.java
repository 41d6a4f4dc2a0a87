package io.mailprobe.pipeline.smtp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.smtp.SmtpCommand;
import io.netty.handler.codec.smtp.SmtpRequest;
import io.netty.handler.codec.smtp.SmtpResponse;
import io.netty.handler.codec.smtp.SmtpResponseDecoder;
import io.netty.handler.proxy.ProxyConnectException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * One SMTP connection seen as request/reply: {@link #send} writes a command and completes with the server's reply
 * or a {@link SessionBreak} (timeout, close, garbage). Not thread-safe: every method runs on the channel's event loop.
 */
final class SmtpConnection extends ChannelInboundHandlerAdapter {

  static final String DECODER = "smtp-decoder";
  static final String PROXY = "socks5";
  static final String TLS = "tls";

  /** Replies the server sent without being asked (banner before we listen, a 421 before close); bounded. */
  private static final int MAX_UNCLAIMED = 4;

  private final SmtpClientSettings settings;
  private final ArrayDeque<SmtpReply> unclaimed = new ArrayDeque<>();
  private Channel channel;
  private CompletableFuture<SmtpReply> waiting;
  private SmtpPhase waitingPhase;
  private ScheduledFuture<?> deadline;
  private SessionBreak broken;
  private SmtpReply lastReply;
  private boolean tls;

  SmtpConnection(SmtpClientSettings settings) {
    this.settings = settings;
  }

  /** A fresh reply decoder with the configured line and size bounds. */
  static SmtpResponseDecoder newDecoder(SmtpClientSettings settings) {
    return new SmtpResponseDecoder(settings.maxReplyLineLength(), settings.maxReplyBytes());
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    channel = ctx.channel();
  }

  boolean tls() {
    return tls;
  }

  SmtpReply lastReply() {
    return lastReply;
  }

  Channel channel() {
    return channel;
  }

  /** Waits for the next reply without sending anything (the banner). */
  CompletableFuture<SmtpReply> expect(SmtpPhase phase, Duration timeout) {
    SmtpReply early = unclaimed.poll();
    if (early != null) {
      return CompletableFuture.completedFuture(early);
    }
    if (broken != null) {
      return CompletableFuture.failedFuture(new SessionBreak(broken.kind(), phase, broken.detail()));
    }
    if (waiting != null) {
      throw new IllegalStateException("a reply is already awaited in phase " + waitingPhase);
    }
    CompletableFuture<SmtpReply> future = new CompletableFuture<>();
    waiting = future;
    waitingPhase = phase;
    deadline =
        channel
            .eventLoop()
            .schedule(
                () -> breakWith(new SessionBreak(SessionFailure.Kind.TIMEOUT, phase,
                    "no reply in phase " + phase + " within " + timeout.toMillis() + " ms")),
                timeout.toMillis(),
                TimeUnit.MILLISECONDS);
    return future;
  }

  /** Writes one command and waits for its reply. DATA is refused here and again by {@link OutboundLineGuard}. */
  CompletableFuture<SmtpReply> send(SmtpRequest request, SmtpPhase phase, Duration timeout) {
    if (SmtpCommand.DATA.equals(request.command())) {
      throw new IllegalStateException("a prober never sends DATA");
    }
    for (CharSequence parameter : request.parameters()) {
      SmtpArguments.requireSafeCommandLine(parameter);
    }
    if (broken != null) {
      return CompletableFuture.failedFuture(new SessionBreak(broken.kind(), phase, broken.detail()));
    }
    CompletableFuture<SmtpReply> reply = expect(phase, timeout);
    channel
        .writeAndFlush(request)
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                breakWith(new SessionBreak(SessionFailure.Kind.PROTOCOL_ERROR, phase,
                    "could not send " + request.command() + ": " + f.cause().getMessage()));
              }
            });
    return reply;
  }

  /**
   * Starts TLS after the server's 220 to STARTTLS. Completes when the handshake is done, or exceptionally with a
   * TLS_FAILED break. A server that sent anything past its 220 is refused (STARTTLS response injection).
   */
  CompletableFuture<Void> startTls(SslContext context, Duration timeout) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (!unclaimed.isEmpty()) {
      breakWith(new SessionBreak(SessionFailure.Kind.PROTOCOL_ERROR, SmtpPhase.STARTTLS,
          "server sent a reply before the TLS handshake"));
    }
    if (broken != null) {
      return CompletableFuture.failedFuture(broken);
    }
    ChannelPipeline pipeline = channel.pipeline();
    // A new decoder: the old one hands any bytes it still buffers to us as a ByteBuf, which we refuse.
    pipeline.replace(DECODER, DECODER, newDecoder(settings));
    if (broken != null) {
      return CompletableFuture.failedFuture(broken);
    }
    InetSocketAddress peer = (InetSocketAddress) channel.remoteAddress();
    SslHandler ssl = context.newHandler(channel.alloc(), peer.getHostString(), peer.getPort());
    ssl.setHandshakeTimeoutMillis(timeout.toMillis());
    if (pipeline.get(PROXY) != null) {
      pipeline.addAfter(PROXY, TLS, ssl);
    } else {
      pipeline.addFirst(TLS, ssl);
    }
    ssl.handshakeFuture()
        .addListener(
            f -> {
              if (f.isSuccess()) {
                tls = true;
                done.complete(null);
              } else {
                SessionBreak b = new SessionBreak(SessionFailure.Kind.TLS_FAILED, SmtpPhase.STARTTLS,
                    "TLS handshake failed: " + f.cause().getMessage());
                breakWith(b);
                done.completeExceptionally(b);
              }
            });
    return done;
  }

  void close() {
    if (deadline != null) {
      deadline.cancel(false);
    }
    channel.close();
  }

  /**
   * Ends the connection after QUIT's reply by letting the server close it, as RFC 5321 §4.1.1.10 has it (the server
   * replies 221, then closes); closes it ourselves only if the server has not within {@code grace}. The host's session
   * permit returns when the channel is closed, so it returns only once the server has let the session go: a new
   * session to the same host can then never overlap the end of this one in the server's count.
   */
  void closeAfterServer(Duration grace) {
    if (deadline != null) {
      deadline.cancel(false);
    }
    if (!channel.isActive()) {
      channel.close();
      return;
    }
    ScheduledFuture<?> fallback = channel.eventLoop().schedule(() -> {
      channel.close();
    }, grace.toMillis(), TimeUnit.MILLISECONDS);
    channel.closeFuture().addListener(f -> fallback.cancel(false));
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof SmtpResponse response) {
        accept(response);
      } else {
        breakWith(new SessionBreak(SessionFailure.Kind.PROTOCOL_ERROR, waitingPhase,
            msg instanceof ByteBuf ? "unexpected bytes around STARTTLS" : "unexpected message " + msg));
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void accept(SmtpResponse response) {
    int code = response.code();
    if (code < 200 || code > 599) {
      breakWith(new SessionBreak(SessionFailure.Kind.PROTOCOL_ERROR, waitingPhase,
          "not an SMTP reply (code " + code + ")"));
      return;
    }
    if (response.details().size() > settings.maxReplyLines()) {
      breakWith(new SessionBreak(SessionFailure.Kind.PROTOCOL_ERROR, waitingPhase,
          "reply has more than " + settings.maxReplyLines() + " lines"));
      return;
    }
    List<String> lines = new ArrayList<>(response.details().size());
    for (CharSequence line : response.details()) {
      lines.add(line.toString());
    }
    SmtpReply reply = SmtpReply.of(code, lines);
    lastReply = reply;
    CompletableFuture<SmtpReply> w = takeWaiting();
    if (w != null) {
      w.complete(reply);
    } else if (unclaimed.size() >= MAX_UNCLAIMED) {
      breakWith(new SessionBreak(SessionFailure.Kind.PROTOCOL_ERROR, null, "too many unsolicited replies"));
    } else {
      unclaimed.add(reply);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    breakWith(new SessionBreak(SessionFailure.Kind.CONNECTION_CLOSED, waitingPhase, "connection closed by server"));
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    breakWith(breakFor(cause));
  }

  private SessionBreak breakFor(Throwable cause) {
    Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
    if (c instanceof ProxyConnectException) {
      return new SessionBreak(SessionFailure.Kind.PROXY_FAILED, SmtpPhase.CONNECT, c.getMessage());
    }
    if (c instanceof SSLException) {
      return new SessionBreak(SessionFailure.Kind.TLS_FAILED, SmtpPhase.STARTTLS, c.getMessage());
    }
    if (cause instanceof TooLongFrameException || c instanceof TooLongFrameException) {
      return new SessionBreak(SessionFailure.Kind.PROTOCOL_ERROR, waitingPhase, "reply too long: " + c.getMessage());
    }
    if (cause instanceof DecoderException) {
      return new SessionBreak(SessionFailure.Kind.PROTOCOL_ERROR, waitingPhase, "not SMTP: " + cause.getMessage());
    }
    if (c instanceof IOException) {
      return new SessionBreak(SessionFailure.Kind.CONNECTION_CLOSED, waitingPhase, c.getMessage());
    }
    return new SessionBreak(SessionFailure.Kind.PROTOCOL_ERROR, waitingPhase, String.valueOf(c));
  }

  /** Records the first failure, fails the awaited reply and closes: a broken SMTP stream cannot be resynchronised. */
  private void breakWith(SessionBreak b) {
    if (broken == null) {
      broken = b;
    }
    SmtpPhase phase = b.phase() != null ? b.phase() : waitingPhase != null ? waitingPhase : SmtpPhase.CONNECT;
    CompletableFuture<SmtpReply> w = takeWaiting();
    if (w != null) {
      w.completeExceptionally(b.phase() != null ? b : new SessionBreak(b.kind(), phase, b.detail()));
    }
    if (channel != null && channel.isOpen()) {
      channel.close();
    }
  }

  private CompletableFuture<SmtpReply> takeWaiting() {
    CompletableFuture<SmtpReply> w = waiting;
    waiting = null;
    if (deadline != null) {
      deadline.cancel(false);
      deadline = null;
    }
    return w;
  }
}
