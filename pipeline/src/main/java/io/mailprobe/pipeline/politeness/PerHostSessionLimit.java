package io.mailprobe.pipeline.politeness;

import io.mailprobe.pipeline.smtp.HostGate;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * A {@link HostGate} that lets at most {@code maxSessions} sessions run at once against one mail server address,
 * and starts at most {@code sessionsPerWindow} of them in any sliding {@code window}. Waiters are served first come,
 * first served; nothing blocks a thread.
 */
public final class PerHostSessionLimit implements HostGate {

  private final int maxSessions;
  private final int sessionsPerWindow;
  private final long windowNanos;
  private final ScheduledExecutorService timer;
  private final LongSupplier nanoClock;
  private final Map<InetAddress, Host> hosts = new HashMap<>();

  /** Limits per host; {@code timer} wakes waiters held back by the rate limit. */
  public PerHostSessionLimit(
      int maxSessions, int sessionsPerWindow, Duration window, ScheduledExecutorService timer) {
    this(maxSessions, sessionsPerWindow, window, timer, System::nanoTime);
  }

  PerHostSessionLimit(
      int maxSessions,
      int sessionsPerWindow,
      Duration window,
      ScheduledExecutorService timer,
      LongSupplier nanoClock) {
    if (maxSessions < 1 || sessionsPerWindow < 1 || window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("limits must be positive");
    }
    this.maxSessions = maxSessions;
    this.sessionsPerWindow = sessionsPerWindow;
    this.windowNanos = window.toNanos();
    this.timer = timer;
    this.nanoClock = nanoClock;
  }

  @Override
  public CompletionStage<Permit> acquire(InetAddress host) {
    CompletableFuture<Permit> waiter = new CompletableFuture<>();
    List<Runnable> grants;
    synchronized (this) {
      hosts.computeIfAbsent(host, h -> new Host()).waiters.add(waiter);
      grants = admit(host);
    }
    grants.forEach(Runnable::run);
    return waiter;
  }

  /** Sessions running now against {@code host}. */
  public synchronized int activeSessions(InetAddress host) {
    Host h = hosts.get(host);
    return h == null ? 0 : h.active;
  }

  /** Sessions waiting for a slot, over all hosts. */
  public synchronized int waiting() {
    return hosts.values().stream().mapToInt(h -> h.waiters.size()).sum();
  }

  // Called with the lock held; returns the completions to run after the lock is released.
  private List<Runnable> admit(InetAddress address) {
    Host host = hosts.get(address);
    List<Runnable> grants = new ArrayList<>();
    if (host == null) {
      return grants;
    }
    long now = nanoClock.getAsLong();
    while (!host.starts.isEmpty() && now - host.starts.peekFirst() >= windowNanos) {
      host.starts.pollFirst();
    }
    while (!host.waiters.isEmpty() && host.active < maxSessions && host.starts.size() < sessionsPerWindow) {
      CompletableFuture<Permit> waiter = host.waiters.poll();
      host.active++;
      host.starts.addLast(now);
      Permit permit = new OnceReleased(address);
      grants.add(() -> {
        if (!waiter.complete(permit)) {
          permit.release(); // the waiter was cancelled
        }
      });
    }
    if (!host.waiters.isEmpty() && host.active < maxSessions && !host.wakeScheduled) {
      long wait = windowNanos - (now - host.starts.peekFirst());
      host.wakeScheduled = true;
      timer.schedule(() -> wake(address), Math.max(wait, 1), TimeUnit.NANOSECONDS);
    }
    if (host.active == 0 && host.waiters.isEmpty() && host.starts.isEmpty()) {
      hosts.remove(address);
    }
    return grants;
  }

  private void wake(InetAddress address) {
    List<Runnable> grants;
    synchronized (this) {
      Host host = hosts.get(address);
      if (host != null) {
        host.wakeScheduled = false;
      }
      grants = admit(address);
    }
    grants.forEach(Runnable::run);
  }

  private void release(InetAddress address) {
    List<Runnable> grants;
    synchronized (this) {
      Host host = hosts.get(address);
      if (host == null) {
        return;
      }
      host.active--;
      grants = admit(address);
    }
    grants.forEach(Runnable::run);
  }

  private static final class Host {
    int active;
    boolean wakeScheduled;
    final ArrayDeque<Long> starts = new ArrayDeque<>();
    final ArrayDeque<CompletableFuture<Permit>> waiters = new ArrayDeque<>();
  }

  private final class OnceReleased implements Permit {
    private final InetAddress address;
    private final AtomicBoolean released = new AtomicBoolean();

    OnceReleased(InetAddress address) {
      this.address = address;
    }

    @Override
    public void release() {
      if (released.compareAndSet(false, true)) {
        PerHostSessionLimit.this.release(address);
      }
    }
  }
}
