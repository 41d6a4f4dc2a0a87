package io.mailprobe.testkit.smtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** One server-side SMTP session of a simulated host; commands are answered one at a time, in order. */
final class SimulatedSession extends ChannelInboundHandlerAdapter {

  private static final byte[] GARBAGE = "\u0000\u0007\u001b[31m this is not SMTP \u00ff\r\n"
      .getBytes(StandardCharsets.ISO_8859_1);

  private final HostBehaviour host;
  private final HostRecord record;
  private final Supplier<SslContext> tls;
  private final ArrayDeque<String> inbox = new ArrayDeque<>();
  private List<String> transcript;
  private ChannelHandlerContext ctx;
  private boolean busy;
  private boolean counted;
  private boolean greeted;
  private boolean tlsOn;
  private boolean inTransaction;
  private boolean stalled;
  private int recipients;
  private int errors;
  private long lastReplyNanos; // when the last reply went out, for the client's turn (HostRecord)

  SimulatedSession(HostBehaviour host, HostRecord record, Supplier<SslContext> tls) {
    this.host = host;
    this.record = record;
    this.tls = tls;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    transcript = record.open(host.recordTranscripts());
    counted = true;
    if (host.closeOnConnect()) {
      ctx.close();
      return;
    }
    if (host.maxConcurrentSessions() > 0 && record.activeNow() > host.maxConcurrentSessions()) {
      record.refusedOverCapOnce();
      busy = true;
      send(Reply.of(421, "4.7.0 " + host.hostname() + " Error: too many connections"), true);
      return;
    }
    if (host.tarpit()) {
      busy = true; // never greet, never answer
      return;
    }
    busy = true;
    Runnable greet = () -> {
      if (host.garbageBanner()) {
        ctx.writeAndFlush(Unpooled.wrappedBuffer(GARBAGE));
      } else {
        send(host.banner(), host.banner().code() != 220);
      }
      busy = false;
      drain();
    };
    later(host.bannerDelay(), greet);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    ended();
  }

  // A session stops counting when the server sends its last reply (then closes), or when the peer has gone. Counting
  // until channelInactive would be late: Netty fires it a task after the close, and a client that has read the
  // reply may connect again before that task runs on a busy loop, a session that is over counted as still open.
  private void ended() {
    if (counted) {
      counted = false;
      record.closed();
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf line = (ByteBuf) msg;
    try {
      if (stalled) {
        return; // read and ignored
      }
      inbox.add(line.toString(StandardCharsets.UTF_8));
      record.commandReceived();
      if (lastReplyNanos != 0) {
        record.clientTurn(System.nanoTime() - lastReplyNanos);
        lastReplyNanos = 0;
      }
    } finally {
      line.release();
    }
    drain();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }

  private void drain() {
    while (!busy && !stalled && !inbox.isEmpty() && ctx.channel().isActive()) {
      handle(inbox.poll());
    }
  }

  private void handle(String line) {
    transcript.add(line);
    int space = line.indexOf(' ');
    String verb = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
    String argument = space < 0 ? "" : line.substring(space + 1);
    if ("DATA".equals(verb) || "BDAT".equals(verb)) {
      record.sawData();
    }
    if (host.errorLimit() > 0 && errors >= host.errorLimit()) {
      record.errorLimitHit();
      send(Reply.of(421, "4.7.0 " + host.hostname() + " Error: too many errors"), true);
      busy = true;
      return;
    }
    for (CommandRule rule : host.rules()) {
      if (rule.take(verb, argument)) {
        respond(rule.latency(), () -> {
          if (rule.stalls()) {
            stall();
          }
          if (rule.isEndless()) {
            endless(rule.reply() != null ? rule.reply() : Reply.of(250, "more"), 0);
          } else if (rule.drip() != null) {
            drip(rule.reply() != null ? rule.reply().render().getBytes(StandardCharsets.UTF_8) : GARBAGE, 0,
                rule.drip());
          } else if (rule.resets()) {
            byte[] bytes = (rule.reply() != null ? rule.reply() : Reply.of(250, "reset me")).render()
                .getBytes(StandardCharsets.UTF_8);
            ctx.writeAndFlush(Unpooled.wrappedBuffer(bytes, 0, Math.max(1, bytes.length / 2)))
                .addListener(f -> {
                  ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0); // close sends RST
                  ctx.close();
                });
          } else if (rule.sendsGarbage()) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(GARBAGE));
          } else if (rule.reply() != null) {
            count(rule.reply());
            send(rule.reply(), false);
          }
          if (rule.closes()) {
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
          }
        });
        return;
      }
    }
    answerByDefault(verb, argument);
  }

  private void answerByDefault(String verb, String argument) {
    switch (verb) {
      case "EHLO" -> {
        greeted = true;
        inTransaction = false;
        List<String> lines = new ArrayList<>();
        lines.add(host.hostname());
        for (String e : host.extensions()) {
          boolean starttls = e.equalsIgnoreCase("STARTTLS");
          if (!(starttls && tlsOn)) {
            lines.add(e);
          }
        }
        if (host.tlsRequired() && !tlsOn && !host.offers("STARTTLS")) {
          lines.add("STARTTLS");
        }
        reply(new Reply(250, lines));
      }
      case "HELO" -> {
        greeted = true;
        inTransaction = false;
        reply(Reply.of(250, host.hostname()));
      }
      case "STARTTLS" -> {
        boolean offered = host.offers("STARTTLS") || host.tlsRequired();
        if (!offered || tlsOn) {
          reply(Reply.of(tlsOn ? 554 : 502, tlsOn ? "5.5.1 Error: TLS already active" : "5.5.1 Error: command not implemented"));
          return;
        }
        respond(host.replyLatency(), () -> {
          inbox.clear(); // anything pipelined after STARTTLS is discarded, as RFC 3207 requires
          SslHandler ssl = new SslHandler(tls.get().newEngine(ctx.alloc()), true);
          ctx.pipeline().addFirst("tls", ssl);
          tlsOn = true;
          greeted = false;
          inTransaction = false;
          send(Reply.of(220, "2.0.0 Ready to start TLS"), false);
        });
      }
      case "MAIL" -> {
        if (!greeted) {
          reply(Reply.of(503, "5.5.1 Error: send HELO/EHLO first"));
        } else if (host.tlsRequired() && !tlsOn) {
          reply(Reply.of(530, "5.7.0 Must issue a STARTTLS command first"));
        } else if (inTransaction) {
          reply(Reply.of(503, "5.5.1 Error: nested MAIL command"));
        } else if (argument.toUpperCase(Locale.ROOT).contains("SMTPUTF8") && !host.offers("SMTPUTF8")) {
          reply(Reply.of(555, "5.5.4 Unsupported option: SMTPUTF8"));
        } else {
          inTransaction = true;
          recipients = 0;
          reply(Reply.of(250, "2.1.0 Ok"));
        }
      }
      case "RCPT" -> {
        if (!inTransaction) {
          reply(Reply.of(503, "5.5.1 Error: need MAIL command"));
          return;
        }
        String address = pathOf(argument);
        if (host.maxRecipientsPerMessage() > 0 && recipients >= host.maxRecipientsPerMessage()) {
          reply(Reply.of(452, "4.5.3 Error: too many recipients"));
        } else if (host.knows(address)) {
          recipients++;
          reply(Reply.of(250, "2.1.5 Ok"));
        } else {
          reply(Reply.of(550,
              "5.1.1 <" + address + ">: Recipient address rejected: User unknown in virtual mailbox table"));
        }
      }
      case "RSET" -> {
        inTransaction = false;
        reply(Reply.of(250, "2.0.0 Ok"));
      }
      case "NOOP" -> reply(Reply.of(250, "2.0.0 Ok"));
      case "QUIT" -> respond(host.replyLatency(), () -> send(Reply.of(221, "2.0.0 Bye"), true));
      case "DATA", "BDAT" -> reply(Reply.of(554, "5.5.1 Error: the simulator never accepts a message"));
      case "VRFY" -> reply(Reply.of(502, "5.5.1 VRFY command is disabled"));
      default -> reply(Reply.of(502, "5.5.2 Error: command not recognized"));
    }
  }

  // Ignore the rest of the connection: no decoder, no answers (a stalled TLS handshake looks like this).
  private void stall() {
    stalled = true;
    inbox.clear();
    if (ctx.pipeline().get(LineBasedFrameDecoder.class) != null) {
      ctx.pipeline().remove(LineBasedFrameDecoder.class);
    }
  }

  // Continuation lines for as long as the connection lives, paced by the client's reading (bounded buffer here).
  private void endless(Reply reply, long n) {
    if (!ctx.channel().isActive()) {
      return;
    }
    long next = n;
    if (ctx.channel().isWritable()) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < 64; i++, next++) {
        b.append(reply.code()).append('-').append(reply.lines().get(0)).append(' ').append(next).append("\r\n");
      }
      ctx.writeAndFlush(Unpooled.copiedBuffer(b, StandardCharsets.UTF_8));
    }
    long from = next;
    ctx.executor().schedule(() -> endless(reply, from), 5, TimeUnit.MILLISECONDS);
  }

  private void drip(byte[] bytes, int index, Duration perByte) {
    if (index >= bytes.length || !ctx.channel().isActive()) {
      return;
    }
    ctx.writeAndFlush(Unpooled.wrappedBuffer(bytes, index, 1));
    ctx.executor().schedule(() -> drip(bytes, index + 1, perByte), perByte.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static String pathOf(String argument) {
    int open = argument.indexOf('<');
    int close = argument.lastIndexOf('>');
    return open >= 0 && close > open ? argument.substring(open + 1, close) : argument;
  }

  private void reply(Reply reply) {
    long asked = System.nanoTime();
    respond(host.replyLatency(), () -> {
      count(reply);
      send(reply, false);
      lastReplyNanos = System.nanoTime();
      record.replied(lastReplyNanos - asked);
    });
  }

  private void count(Reply reply) {
    if (reply.code() >= 400) {
      errors++;
    }
  }

  /** Runs {@code action} after {@code delay}, holding back later commands until it has run. */
  private void respond(Duration delay, Runnable action) {
    busy = true;
    later(delay, () -> {
      action.run();
      busy = false;
      drain();
    });
  }

  private void later(Duration delay, Runnable action) {
    if (delay.isZero()) {
      action.run();
    } else {
      ctx.executor().schedule(action, delay.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void send(Reply reply, boolean close) {
    if (close) {
      ended(); // before the write: the client may see the reply and connect again before a listener could run
    }
    ChannelFuture written = ctx.writeAndFlush(Unpooled.copiedBuffer(reply.render(), StandardCharsets.UTF_8));
    if (close) {
      written.addListener(ChannelFutureListener.CLOSE);
    }
  }
}
