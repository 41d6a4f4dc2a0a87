package io.mailprobe.pipeline.smtp;

import io.mailprobe.pipeline.dns.MxHost;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.smtp.DefaultSmtpRequest;
import io.netty.handler.codec.smtp.SmtpCommand;
import io.netty.handler.codec.smtp.SmtpRequest;
import io.netty.handler.codec.smtp.SmtpRequests;
import io.netty.handler.proxy.ProxyConnectException;
import io.netty.handler.proxy.ProxyHandler;
import io.netty.util.AsciiString;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The sessions of one {@link ProbeRequest}: dials exchangers in order, asks every recipient once, reconnects on
 * session-level replies (DESIGN §3 row 0) and recycles before server error limits. All state is confined to one
 * event loop; every callback hops there.
 */
final class ProbeSession {

  private record Route(MxHost host, InetAddress address) {}

  private record Target(int index, String mailbox, boolean utf8) {}

  private static final SmtpRequest STARTTLS = new DefaultSmtpRequest(AsciiString.cached("STARTTLS"));

  private final ProbeRequest request;
  private final SmtpClientSettings settings;
  private final SmtpProber prober;
  private final EventLoop loop;
  private final CompletableFuture<ProbeResult> result = new CompletableFuture<>();
  // One outcome per recipient, the request's then the feed's; the catch-all probe's apart (target index -1).
  private final List<String> recipients;
  private final List<RcptOutcome> outcomes;
  private RcptOutcome catchAllOutcome;
  private Target catchAllTarget;
  private boolean feedEnded;
  private final ArrayDeque<Target> queue = new ArrayDeque<>();
  private final List<Route> routes = new ArrayList<>();
  private final Set<InetAddress> plainOnly = new HashSet<>();
  private int routeIndex;
  private int sessions;
  private int reconnects;
  private SessionFailure lastFailure;

  // The connection in use.
  private Route route;
  private SmtpConnection conn;
  private Set<String> extensions = Set.of();
  private int rejectedThisSession;
  private boolean utf8Transaction;

  ProbeSession(ProbeRequest request, SmtpClientSettings settings, SmtpProber prober, EventLoop loop) {
    this.request = request;
    this.settings = settings;
    this.prober = prober;
    this.loop = loop;
    this.recipients = new ArrayList<>(request.recipients());
    this.outcomes = new ArrayList<>(Collections.nCopies(recipients.size(), null));
    for (MxHost host : request.exchangers()) {
      for (InetAddress address : host.addresses()) {
        routes.add(new Route(host, address));
      }
    }
  }

  CompletableFuture<ProbeResult> start() {
    for (int i = 0; i < recipients.size(); i++) {
      enqueue(i, recipients.get(i));
    }
    if (request.catchAllProbe() != null) {
      // Held back until the feed has nothing more: some servers drop the session after an unknown recipient.
      catchAllTarget = new Target(-1, request.catchAllProbe(), SmtpArguments.needsSmtpUtf8(request.catchAllProbe()));
    }
    try {
      loop.execute(guarded(this::openSession));
    } catch (RejectedExecutionException e) {
      return SmtpProber.failedToStart(request, "prober is closed");
    }
    return result;
  }

  private void enqueue(int index, String mailbox) {
    try {
      // Checked again here, not only in ProbeRequest: this is the last stop before the wire.
      SmtpArguments.requireSafeMailbox(mailbox);
      queue.add(new Target(index, mailbox, SmtpArguments.needsSmtpUtf8(mailbox)));
    } catch (IllegalArgumentException e) {
      answer(index, new RcptOutcome.Unanswered(mailbox, new SessionFailure(SessionFailure.Kind.PROTOCOL_ERROR,
          SmtpPhase.RCPT_TO, null, null, "refused before the wire: " + e.getMessage())));
    }
  }

  private void answer(int index, RcptOutcome outcome) {
    if (index < 0) {
      catchAllOutcome = outcome;
    } else {
      outcomes.set(index, outcome);
    }
  }

  /**
   * Everything queued is answered: take what the feed has, then the catch-all probe, and {@code resume}; or
   * {@code end} when nothing is left. The connection idles meanwhile; if the server closes it, the next command
   * finds out and reconnects (DESIGN §3 row 0).
   */
  private void whenQueueEmpty(Runnable resume, Runnable end) {
    if (!feedEnded) {
      CompletionStage<List<String>> more;
      try {
        more = request.feed().more();
      } catch (RuntimeException e) {
        more = CompletableFuture.failedFuture(e);
      }
      more.whenComplete((fed, error) -> execute(() -> {
        if (error != null || fed == null || fed.isEmpty()) {
          feedEnded = true;
        } else {
          for (String mailbox : fed) {
            recipients.add(mailbox);
            outcomes.add(null);
            enqueue(recipients.size() - 1, mailbox);
          }
          if (conn != null) {
            refuseUnsendableUtf8(); // this connection's EHLO is known; a new one's MAIL FROM checks again
          }
        }
        if (queue.isEmpty()) {
          whenQueueEmpty(resume, end);
        } else {
          resume.run();
        }
      }));
      return;
    }
    if (catchAllTarget != null) {
      queue.add(catchAllTarget);
      catchAllTarget = null;
      resume.run();
      return;
    }
    end.run();
  }

  // ---- connecting -------------------------------------------------------------------------------------------

  private void openSession() {
    if (queue.isEmpty()) {
      whenQueueEmpty(this::openSession, this::finish);
      return;
    }
    if (routeIndex >= routes.size()) {
      failRemaining(lastFailure);
      finish();
      return;
    }
    Route r = routes.get(routeIndex);
    settings
        .hostGate()
        .acquire(r.address())
        .whenComplete(
            (permit, error) ->
                execute(
                    () -> {
                      if (error != null) {
                        nextRoute(new SessionFailure(SessionFailure.Kind.CONNECTION_REFUSED, SmtpPhase.CONNECT,
                            contact(r, false), null, "host gate refused: " + error));
                      } else {
                        dial(r, permit);
                      }
                    }));
  }

  private void dial(Route r, HostGate.Permit permit) {
    AtomicBoolean released = new AtomicBoolean();
    Runnable release = () -> {
      if (released.compareAndSet(false, true)) {
        permit.release();
      }
    };
    ChannelFuture connect;
    try {
      connect = prober.dial(loop, r.address());
    } catch (RuntimeException e) {
      release.run();
      throw e;
    }
    Channel channel = connect.channel();
    channel.closeFuture().addListener(f -> release.run());
    connect.addListener(
        f ->
            execute(
                () -> {
                  if (!f.isSuccess()) {
                    release.run();
                    nextRoute(new SessionFailure(connectFailureKind(f.cause()), SmtpPhase.CONNECT,
                        contact(r, false), null, String.valueOf(f.cause().getMessage())));
                    return;
                  }
                  sessions++;
                  route = r;
                  conn = channel.pipeline().get(SmtpConnection.class);
                  extensions = Set.of();
                  rejectedThisSession = 0;
                  ProxyHandler proxy = (ProxyHandler) channel.pipeline().get(SmtpConnection.PROXY);
                  if (proxy == null) {
                    greet();
                  } else {
                    proxy.connectFuture().addListener(p -> execute(() -> {
                      if (p.isSuccess()) {
                        greet();
                      } else {
                        conn.close();
                        nextRoute(new SessionFailure(SessionFailure.Kind.PROXY_FAILED, SmtpPhase.CONNECT,
                            contact(r, false), null, String.valueOf(p.cause().getMessage())));
                      }
                    }));
                  }
                }));
  }

  private SessionFailure.Kind connectFailureKind(Throwable cause) {
    if (settings.socksProxy() != null) {
      return SessionFailure.Kind.PROXY_FAILED; // we never reached the exchanger itself
    }
    if (cause instanceof ConnectTimeoutException) {
      return SessionFailure.Kind.CONNECT_TIMEOUT;
    }
    if (cause instanceof ProxyConnectException) {
      return SessionFailure.Kind.PROXY_FAILED;
    }
    return SessionFailure.Kind.CONNECTION_REFUSED;
  }

  /** This exchanger cannot serve us: remember why and try the next address. */
  private void nextRoute(SessionFailure failure) {
    lastFailure = failure;
    if (conn != null) {
      conn.close();
      conn = null;
    }
    routeIndex++;
    openSession();
  }

  private void nextRoute(SessionBreak b) {
    nextRoute(failure(b));
  }

  // ---- greeting ---------------------------------------------------------------------------------------------

  private void greet() {
    on(conn.expect(SmtpPhase.BANNER, settings.bannerTimeout()), reply -> {
      if (reply.code() == 220) {
        ehlo();
      } else {
        refusedHere(SmtpPhase.BANNER, reply, "refused at the banner");
      }
    }, this::nextRoute);
  }

  private void ehlo() {
    on(conn.send(SmtpRequests.ehlo(settings.heloName()), SmtpPhase.EHLO, settings.commandTimeout()), reply -> {
      if (reply.code() == 250) {
        extensions = extensionsOf(reply);
        startTlsOrMail();
      } else if (reply.isPermanent()) {
        helo();
      } else {
        refusedHere(SmtpPhase.EHLO, reply, "EHLO refused");
      }
    }, this::nextRoute);
  }

  private void helo() {
    on(conn.send(SmtpRequests.helo(settings.heloName()), SmtpPhase.EHLO, settings.commandTimeout()), reply -> {
      if (reply.code() == 250) {
        extensions = Set.of();
        mailFrom();
      } else {
        refusedHere(SmtpPhase.EHLO, reply, "EHLO and HELO refused");
      }
    }, this::nextRoute);
  }

  private void startTlsOrMail() {
    boolean offered = extensions.contains("STARTTLS");
    if (!offered
        || conn.tls()
        || settings.startTls() == SmtpClientSettings.StartTls.DISABLED
        || plainOnly.contains(route.address())) {
      mailFrom();
      return;
    }
    on(conn.send(STARTTLS, SmtpPhase.STARTTLS, settings.commandTimeout()), reply -> {
      if (reply.code() != 220) {
        mailFrom(); // opportunistic: carry on in plain text
        return;
      }
      conn.startTls(prober.tlsContext(), settings.commandTimeout()).whenComplete((ok, error) -> execute(() -> {
        if (error == null) {
          ehloAfterTls();
        } else {
          // Opportunistic TLS: dial the same address once more without STARTTLS.
          lastFailure = failure(asBreak(error));
          plainOnly.add(route.address());
          conn.close();
          conn = null;
          openSession();
        }
      }));
    }, this::nextRoute);
  }

  private void ehloAfterTls() {
    on(conn.send(SmtpRequests.ehlo(settings.heloName()), SmtpPhase.EHLO, settings.commandTimeout()), reply -> {
      if (reply.code() == 250) {
        extensions = extensionsOf(reply);
        mailFrom();
      } else {
        refusedHere(SmtpPhase.EHLO, reply, "EHLO after STARTTLS refused");
      }
    }, this::nextRoute);
  }

  private void refusedHere(SmtpPhase phase, SmtpReply reply, String detail) {
    SessionFailure failure = new SessionFailure(SessionFailure.Kind.REJECTED, phase, contact(), reply, detail);
    quit(() -> nextRoute(failure));
  }

  // ---- transaction ------------------------------------------------------------------------------------------

  private void mailFrom() {
    refuseUnsendableUtf8();
    if (queue.isEmpty()) {
      whenQueueEmpty(this::mailFrom, () -> quit(this::finish));
      return;
    }
    boolean utf8 = extensions.contains("SMTPUTF8") && queue.stream().anyMatch(Target::utf8);
    utf8Transaction = utf8;
    CharSequence from = wireText("FROM:<" + settings.mailFrom() + ">");
    SmtpRequest mail = utf8
        ? new DefaultSmtpRequest(SmtpCommand.MAIL, from, "SMTPUTF8")
        : new DefaultSmtpRequest(SmtpCommand.MAIL, from);
    on(conn.send(mail, SmtpPhase.MAIL_FROM, settings.commandTimeout()), reply -> {
      if (reply.isPositive()) {
        rcpt(0);
      } else if (reply.code() == 421) {
        sessionLevel(reply, null);
      } else if (demandsTls(reply) && !conn.tls()) {
        refusedAs(SessionFailure.Kind.TLS_REQUIRED, reply,
            extensions.contains("STARTTLS") ? "server requires TLS; STARTTLS failed or is disabled"
                : "server requires TLS but does not offer STARTTLS");
      } else {
        failRemaining(new SessionFailure(SessionFailure.Kind.REJECTED, SmtpPhase.MAIL_FROM, contact(), reply,
            "sender refused"));
        quit(this::finish);
      }
    }, this::brokenMidSession);
  }

  private void refusedAs(SessionFailure.Kind kind, SmtpReply reply, String detail) {
    SessionFailure failure = new SessionFailure(kind, SmtpPhase.MAIL_FROM, contact(), reply, detail);
    quit(() -> nextRoute(failure));
  }

  private void refuseUnsendableUtf8() {
    if (extensions.contains("SMTPUTF8")) {
      return;
    }
    for (Iterator<Target> it = queue.iterator(); it.hasNext(); ) {
      Target t = it.next();
      if (t.utf8()) {
        it.remove();
        answer(t.index(), new RcptOutcome.Unanswered(t.mailbox(), new SessionFailure(
            SessionFailure.Kind.PROTOCOL_ERROR, SmtpPhase.MAIL_FROM, contact(), null,
            "server does not offer SMTPUTF8: an internationalized local part cannot be asked")));
      }
    }
  }

  private void rcpt(int inTransaction) {
    if (queue.isEmpty()) {
      whenQueueEmpty(() -> rcpt(inTransaction), () -> quit(this::finish));
      return;
    }
    if (rejectedThisSession >= settings.maxRejectedRcptsPerSession()) {
      // Recycle before the server's error limit (Postfix: slow-down at 10, drop at 20); not a reconnect.
      quit(this::openSession);
      return;
    }
    Target t = queue.peek();
    if (inTransaction >= request.recipientsPerSession() || (t.utf8() && !utf8Transaction)) {
      rset(); // a fed internationalized recipient needs a transaction opened with SMTPUTF8
      return;
    }
    SmtpRequest rcpt = new DefaultSmtpRequest(SmtpCommand.RCPT, wireText("TO:<" + t.mailbox() + ">"));
    on(conn.send(rcpt, SmtpPhase.RCPT_TO, settings.commandTimeout()), reply -> {
      if (reply.code() == 421) {
        sessionLevel(reply, null);
      } else if (tooManyRecipients(reply)) {
        // Ask this recipient again: in a new transaction, or a new session if even the first RCPT was refused.
        if (inTransaction == 0) {
          sessionLevel(reply, null);
        } else {
          rset();
        }
      } else {
        queue.poll();
        answer(t.index(), new RcptOutcome.Answered(t.mailbox(), reply, contact()));
        if (reply.isPermanent()) {
          rejectedThisSession++;
        }
        rcpt(inTransaction + 1);
      }
    }, this::brokenMidSession);
  }

  private void rset() {
    on(conn.send(SmtpRequests.rset(), SmtpPhase.RSET, settings.commandTimeout()), reply -> {
      if (reply.isPositive()) {
        mailFrom();
      } else {
        sessionLevel(reply, null);
      }
    }, this::brokenMidSession);
  }

  /** A closed connection mid-session is session-level (reconnect); timeouts and garbage end the probe. */
  private void brokenMidSession(SessionBreak b) {
    if (b.kind() == SessionFailure.Kind.CONNECTION_CLOSED) {
      sessionLevel(null, b);
    } else {
      failRemaining(failure(b));
      conn.close();
      finish();
    }
  }

  /** DESIGN §3 row 0: reconnect and go on with the recipients not yet answered, a bounded number of times. */
  private void sessionLevel(SmtpReply reply, SessionBreak b) {
    SmtpPhase phase = b != null ? b.phase() : SmtpPhase.RCPT_TO;
    SessionFailure.Kind kind = b != null ? b.kind() : SessionFailure.Kind.SESSION_LIMIT;
    SmtpReply last = reply != null ? reply : conn.lastReply();
    String detail = b != null ? b.detail() : "session-level reply " + reply;
    lastFailure = new SessionFailure(kind, phase, contact(), last, detail);
    reconnects++;
    if (reconnects > settings.maxReconnects()) {
      failRemaining(new SessionFailure(b != null ? kind : SessionFailure.Kind.SESSION_LIMIT, phase, contact(), last,
          "gave up after " + settings.maxReconnects() + " reconnects: " + detail));
      quit(this::finish);
      return;
    }
    quit(this::openSession);
  }

  // ---- ending -----------------------------------------------------------------------------------------------

  /** Says goodbye when the connection still stands, closes it, then continues (the permit returns on close). */
  /** How long after QUIT's reply the server has to close the connection before we do. */
  static final Duration QUIT_GRACE = Duration.ofMillis(500);

  private void quit(Runnable then) {
    SmtpConnection c = conn;
    conn = null;
    if (c == null || !c.channel().isActive()) {
      if (c != null) {
        c.close();
      }
      then.run();
      return;
    }
    c.send(SmtpRequests.quit(), SmtpPhase.QUIT, settings.commandTimeout())
        .whenComplete((reply, error) -> execute(() -> {
          if (error == null) {
            c.closeAfterServer(QUIT_GRACE); // the permit returns when the server has closed (politeness, DESIGN §4)
          } else {
            c.close();
          }
          then.run();
        }));
  }

  private void failRemaining(SessionFailure failure) {
    while (!queue.isEmpty()) {
      Target t = queue.poll();
      answer(t.index(), new RcptOutcome.Unanswered(t.mailbox(), failure));
    }
    if (catchAllTarget != null) {
      answer(-1, new RcptOutcome.Unanswered(catchAllTarget.mailbox(), failure));
      catchAllTarget = null;
    }
  }

  private void finish() {
    if (result.isDone()) {
      return;
    }
    if (conn != null) {
      conn.close();
      conn = null;
    }
    SessionFailure fallback = lastFailure != null ? lastFailure
        : new SessionFailure(SessionFailure.Kind.PROTOCOL_ERROR, SmtpPhase.CONNECT, null, null, "not asked");
    failRemaining(fallback);
    List<RcptOutcome> answers = new ArrayList<>(recipients.size());
    for (int i = 0; i < recipients.size(); i++) {
      RcptOutcome o = outcomes.get(i);
      answers.add(o != null ? o : new RcptOutcome.Unanswered(recipients.get(i), fallback));
    }
    RcptOutcome probe = null;
    if (request.catchAllProbe() != null) {
      probe = catchAllOutcome != null ? catchAllOutcome : new RcptOutcome.Unanswered(request.catchAllProbe(), fallback);
    }
    result.complete(new ProbeResult(answers, probe, sessions));
  }

  // ---- plumbing ---------------------------------------------------------------------------------------------

  private void on(CompletableFuture<SmtpReply> reply, Consumer<SmtpReply> ok, Consumer<SessionBreak> broken) {
    reply.whenComplete((r, error) -> execute(() -> {
      if (error != null) {
        broken.accept(asBreak(error));
      } else {
        ok.accept(r);
      }
    }));
  }

  /** Runs on the session's loop: inline when already there, else queued. */
  private void execute(Runnable action) {
    Runnable g = guarded(action);
    if (loop.inEventLoop()) {
      g.run();
    } else {
      try {
        loop.execute(g);
      } catch (RejectedExecutionException e) {
        failRemaining(new SessionFailure(SessionFailure.Kind.CONNECTION_CLOSED, SmtpPhase.CONNECT, null, null,
            "prober is closed"));
        finish();
      }
    }
  }

  /** No exception escapes a session: a bug ends the probe with every open recipient unanswered. */
  private Runnable guarded(Runnable action) {
    return () -> {
      try {
        action.run();
      } catch (RuntimeException | Error e) {
        failRemaining(new SessionFailure(SessionFailure.Kind.PROTOCOL_ERROR, SmtpPhase.CONNECT,
            route == null ? null : contact(route, false), null, "internal error: " + e));
        finish();
      }
    };
  }

  private static SessionBreak asBreak(Throwable error) {
    Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    return e instanceof SessionBreak b ? b
        : new SessionBreak(SessionFailure.Kind.PROTOCOL_ERROR, SmtpPhase.CONNECT, String.valueOf(e));
  }

  private SessionFailure failure(SessionBreak b) {
    SmtpReply last = conn != null ? conn.lastReply() : null;
    return new SessionFailure(b.kind(), b.phase(), route == null ? null : contact(), last, b.detail());
  }

  private HostContact contact() {
    return contact(route, conn != null && conn.tls());
  }

  private static HostContact contact(Route r, boolean tls) {
    return new HostContact(r.host().name(), r.address().getHostAddress(), tls);
  }

  /** ESMTP keywords from an EHLO reply (every line but the greeting), upper-cased. */
  static Set<String> extensionsOf(SmtpReply reply) {
    Set<String> keywords = new HashSet<>();
    List<String> lines = reply.lines();
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i).trim();
      if (!line.isEmpty()) {
        keywords.add(Arrays.stream(line.split("[ =]", 2)).findFirst().orElse("").toUpperCase(Locale.ROOT));
      }
    }
    return keywords;
  }

  static boolean tooManyRecipients(SmtpReply reply) {
    return reply.code() == 452
        && ("4.5.3".equals(reply.enhanced())
            || reply.text().toLowerCase(Locale.ROOT).contains("too many recipients"));
  }

  static boolean demandsTls(SmtpReply reply) {
    String text = reply.text().toLowerCase(Locale.ROOT);
    return reply.code() == 530 || ("5.7.0".equals(reply.enhanced()) && text.contains("starttls"))
        || text.contains("must issue a starttls");
  }

  /** Non-ASCII text goes out as UTF-8 bytes (SMTPUTF8); the encoder writes an AsciiString's bytes as they are. */
  private static CharSequence wireText(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) >= 0x80) {
        return new AsciiString(text.getBytes(StandardCharsets.UTF_8), false);
      }
    }
    return text;
  }
}
