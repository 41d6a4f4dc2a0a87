package io.mailprobe.pipeline.verify;

import io.mailprobe.pipeline.verdict.Reason;
import io.mailprobe.pipeline.verdict.Verdict;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Verifies a finite list of addresses, as the one-off checker does: addresses of one domain share sessions,
 * different domains run concurrently (at most {@code maxDomainsInFlight} at once), and greylisted addresses are asked
 * again on the retry schedule before their verdict is given. Verdicts come back in input order.
 */
public final class BatchVerifier {

  private final Precheck precheck;
  private final DomainVerifier verifier;
  private final Clock clock;
  private final ScheduledExecutorService timer;
  private final int maxDomainsInFlight;

  public BatchVerifier(
      Precheck precheck,
      DomainVerifier verifier,
      Clock clock,
      ScheduledExecutorService timer,
      int maxDomainsInFlight) {
    if (maxDomainsInFlight < 1) {
      throw new IllegalArgumentException("maxDomainsInFlight must be >= 1");
    }
    this.precheck = precheck;
    this.verifier = verifier;
    this.clock = clock;
    this.timer = timer;
    this.maxDomainsInFlight = maxDomainsInFlight;
  }

  /** Verifies every input; the stage completes when each has its final verdict. */
  public CompletionStage<List<Verdict>> verify(List<String> inputs) {
    Run run = new Run(inputs.size());
    Map<String, List<Slot>> byDomain = new LinkedHashMap<>();
    Instant now = clock.instant();
    for (int i = 0; i < inputs.size(); i++) {
      Precheck.Result result = precheck.check(inputs.get(i));
      if (result instanceof Precheck.Result.Decided d) {
        run.out[i] = d.verdict();
      } else {
        CheckedAddress address = ((Precheck.Result.ToProbe) result).address();
        byDomain
            .computeIfAbsent(address.domain(), k -> new ArrayList<>())
            .add(new Slot(i, new Pending(address, Attempt.first(now))));
      }
    }
    run.queue.addAll(byDomain.entrySet());
    run.outstanding.set(byDomain.size() + 1);
    for (int lane = 0; lane < Math.min(maxDomainsInFlight, byDomain.size()); lane++) {
      run.nextDomain();
    }
    run.finishOne(); // the +1 above keeps the run open until every lane has started
    return run.done;
  }

  /** The state of one {@link #verify} call. */
  private final class Run {
    final Verdict[] out;
    final Queue<Map.Entry<String, List<Slot>>> queue = new ArrayDeque<>();
    // Domain rounds started or scheduled and not yet finished; the run is done when it reaches zero.
    final AtomicInteger outstanding = new AtomicInteger();
    final CompletableFuture<List<Verdict>> done = new CompletableFuture<>();

    Run(int size) {
      out = new Verdict[size];
    }

    // A lane takes the next domain from the queue; it moves on once that domain's first round is over, so that
    // waiting for a greylist retry never holds a lane.
    void nextDomain() {
      Map.Entry<String, List<Slot>> next;
      synchronized (queue) {
        next = queue.poll();
      }
      if (next != null) {
        round(next.getKey(), next.getValue(), CatchAllStatus.UNKNOWN).whenComplete((v, e) -> nextDomain());
      }
    }

    CompletableFuture<Void> round(String domain, List<Slot> slots, CatchAllStatus catchAll) {
      List<Pending> batch = slots.stream().map(Slot::pending).toList();
      return verifier
          .verify(domain, batch, catchAll)
          .toCompletableFuture()
          .thenAccept(report -> settle(domain, slots, report))
          .whenComplete(
              (v, e) -> {
                if (e != null) {
                  done.completeExceptionally(e);
                }
                finishOne();
              });
    }

    void settle(String domain, List<Slot> slots, DomainReport report) {
      List<Slot> again = new ArrayList<>();
      Instant due = null;
      for (int i = 0; i < slots.size(); i++) {
        Slot slot = slots.get(i);
        Decision decision = report.decisions().get(i);
        Verdict verdict = decision.verdict();
        if (decision.isFinal()) {
          out[slot.index()] = verdict;
        } else {
          Attempt next = slot.pending().attempt().next(verdict.reason() == Reason.GREYLISTED);
          again.add(new Slot(slot.index(), new Pending(slot.pending().address(), next)));
          due = due == null || verdict.retryAfter().isAfter(due) ? verdict.retryAfter() : due;
        }
      }
      if (!again.isEmpty()) {
        outstanding.incrementAndGet();
        long waitMs = Math.max(0, Duration.between(clock.instant(), due).toMillis());
        timer.schedule(() -> round(domain, again, report.catchAll()), waitMs, TimeUnit.MILLISECONDS);
      }
    }

    void finishOne() {
      if (outstanding.decrementAndGet() == 0) {
        done.complete(Arrays.asList(out));
      }
    }
  }

  private record Slot(int index, Pending pending) {}
}
