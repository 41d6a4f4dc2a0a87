package io.mailprobe.pipeline.smtp;

import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/** A test gate that lets one session per host run at a time and counts acquisitions and releases. */
final class OnePerHostGate implements HostGate {

  private final Map<InetAddress, ArrayDeque<CompletableFuture<Permit>>> waiting = new HashMap<>();
  private final Map<InetAddress, Boolean> busy = new HashMap<>();
  final AtomicInteger acquired = new AtomicInteger();
  final AtomicInteger released = new AtomicInteger();
  final AtomicInteger doubleReleases = new AtomicInteger();

  @Override
  public CompletionStage<Permit> acquire(InetAddress host) {
    CompletableFuture<Permit> permit = new CompletableFuture<>();
    boolean grant;
    synchronized (this) {
      grant = !busy.getOrDefault(host, false);
      if (grant) {
        busy.put(host, true);
      } else {
        waiting.computeIfAbsent(host, h -> new ArrayDeque<>()).add(permit);
      }
    }
    if (grant) {
      permit.complete(permitFor(host));
    }
    return permit;
  }

  private Permit permitFor(InetAddress host) {
    acquired.incrementAndGet();
    boolean[] done = {false};
    return () -> {
      CompletableFuture<Permit> next;
      synchronized (this) {
        if (done[0]) {
          doubleReleases.incrementAndGet();
          return;
        }
        done[0] = true;
        released.incrementAndGet();
        ArrayDeque<CompletableFuture<Permit>> queue = waiting.get(host);
        next = queue == null ? null : queue.poll();
        if (next == null) {
          busy.put(host, false);
        }
      }
      if (next != null) {
        next.complete(permitFor(host));
      }
    };
  }
}
