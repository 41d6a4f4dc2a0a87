package io.mailprobe.pipeline.dns;

import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * One recursive resolver, asked over dnsjava's non-blocking client. It turns answers that are no answer (SERVFAIL,
 * REFUSED, ...) and silence into a {@link DnsQueryFailure} naming the server and the question, so that dnsjava's
 * ExtendedResolver tries the next server and the final detail says who failed. It also enforces the query timeout
 * itself: dnsjava's selector only checks its timeouts about once a second.
 */
final class NameServer extends ForwardingResolver {
  private final String label;
  private volatile Duration timeout;

  NameServer(InetSocketAddress address, Duration timeout) {
    super(new SimpleResolver(address));
    this.label = describe(address);
    setTimeout(timeout);
  }


  @Override
  public CompletionStage<Message> sendAsync(Message query, Executor executor) {
    Duration limit = timeout;
    CompletableFuture<Message> answer = new CompletableFuture<>();
    delegate()
        .sendAsync(query, executor)
        .whenComplete(
            (message, failure) -> {
              if (failure != null) {
                answer.completeExceptionally(failure);
              } else {
                answer.complete(message);
              }
            });
    // handleAsync: a timeout fires on the JDK's single delay thread; move the follow-up work off it.
    return answer
        .orTimeout(limit.toMillis(), TimeUnit.MILLISECONDS)
        .handleAsync(
            (message, failure) -> {
              if (failure != null) {
                throw new CompletionException(explain(query, failure, limit));
              }
              int rcode = message.getRcode();
              if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
                throw new CompletionException(
                    new DnsQueryFailure(Rcode.string(rcode) + " from " + label + " for " + question(query)));
              }
              return message;
            },
            executor);
  }

  private DnsQueryFailure explain(Message query, Throwable failure, Duration limit) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause()
        : failure;
    if (cause instanceof TimeoutException || cause instanceof SocketTimeoutException) {
      return new DnsQueryFailure(
          "no answer from " + label + " within " + limit.toMillis() + " ms for " + question(query));
    }
    return new DnsQueryFailure(
        "query to " + label + " for " + question(query) + " failed: " + cause.getClass().getSimpleName()
            + (cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")"));
  }

  static String question(Message query) {
    Record q = query.getQuestion();
    if (q == null) {
      return "(no question)";
    }
    return q.getName().toString(true) + " " + Type.string(q.getType());
  }

  static String describe(InetSocketAddress address) {
    String host = address.getAddress().getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
  }

  @Override
  public String toString() {
    return label;
  }






  @Override
  public void setTimeout(Duration newTimeout) {
    this.timeout = newTimeout;
    super.setTimeout(newTimeout);
  }

  @Override
  public Duration getTimeout() {
    return timeout;
  }
}
