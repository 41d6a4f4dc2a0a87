package io.mailprobe.pipeline.dns;

import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Type;

/**
 * Bounds the queries in flight through a resolver. Each UDP query holds a socket until it is answered, so thousands
 * of domains resolved at once would otherwise open thousands of sockets; queries over the bound wait in a queue
 * (without blocking anybody) and go out as earlier ones finish. Address queries (an exchanger's A and AAAA) wait in
 * a queue of their own that goes first: they finish a route already half resolved, so a burst of new domains' MX
 * queries does not hold back the sessions of domains whose MX answer is in.
 */
final class QueryThrottle extends ForwardingResolver {
  private final int limit;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();
  private final Queue<Runnable> waitingFirst = new ConcurrentLinkedQueue<>();

  QueryThrottle(Resolver delegate, int limit) {
    super(delegate);
    this.limit = limit;
  }


  @Override
  public CompletionStage<Message> sendAsync(Message query, Executor executor) {
    CompletableFuture<Message> answer = new CompletableFuture<>();
    Record question = query.getQuestion();
    boolean address = question != null && (question.getType() == Type.A || question.getType() == Type.AAAA);
    (address ? waitingFirst : waiting).add(() -> send(query, executor, answer));
    drain();
    return answer;
  }

  private void send(Message query, Executor executor, CompletableFuture<Message> answer) {
    CompletionStage<Message> sent;
    try {
      sent = delegate().sendAsync(query, executor);
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    BiConsumer<Message, Throwable> finish =
        (message, failure) -> {
          inFlight.decrementAndGet();
          drain();
          if (failure != null) {
            answer.completeExceptionally(failure);
          } else {
            answer.complete(message);
          }
        };
    // A query that fails at once (no socket, say) finishes on the executor, so a long queue of such failures cannot
    // recurse through drain() and exhaust the stack.
    if (sent.toCompletableFuture().isDone()) {
      sent.whenCompleteAsync(finish, executor);
    } else {
      sent.whenComplete(finish);
    }
  }

  /** Starts waiting queries while there is room; safe to call from any thread. */
  private void drain() {
    while (!waitingFirst.isEmpty() || !waiting.isEmpty()) {
      int now = inFlight.get();
      if (now >= limit) {
        return; // a finishing query calls drain() again
      }
      if (!inFlight.compareAndSet(now, now + 1)) {
        continue;
      }
      Runnable next = waitingFirst.poll();
      if (next == null) {
        next = waiting.poll();
      }
      if (next == null) {
        inFlight.decrementAndGet();
        // Another thread took the last one; re-check in case a query was queued meanwhile.
        continue;
      }
      next.run();
    }
  }

  int inFlight() {
    return inFlight.get();
  }
}
