package io.mailprobe.testkit.smtp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** What one simulated host saw: sessions, peak concurrency, transcripts, DATA, limits hit. Thread-safe. */
public final class HostRecord {

  private final AtomicInteger sessionsOpened = new AtomicInteger();
  private final AtomicInteger active = new AtomicInteger();
  private final AtomicInteger maxConcurrent = new AtomicInteger();
  private final AtomicInteger refusedOverCap = new AtomicInteger();
  private final AtomicInteger errorLimitHits = new AtomicInteger();
  private final AtomicBoolean dataReceived = new AtomicBoolean();
  private final ConcurrentLinkedQueue<List<String>> transcripts = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Long> sessionStarts = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Long> sessionEnds = new ConcurrentLinkedQueue<>();
  private final LongAdder replyNanos = new LongAdder();
  private final LongAdder replies = new LongAdder();
  private final LongAdder clientNanos = new LongAdder();
  private final LongAdder clientTurns = new LongAdder();
  private final LongAdder commands = new LongAdder();

  /** Connections accepted, including ones then refused over the concurrency cap. */
  public int sessionsOpened() {
    return sessionsOpened.get();
  }

  /** When each connection was accepted ({@link System#nanoTime()}), in time order. */
  public List<Long> sessionStartNanos() {
    List<Long> starts = new ArrayList<>(sessionStarts);
    starts.sort(null); // two event loop threads may append out of order
    return starts;
  }

  /** Replies sent after the host's reply latency, and the time from each command's arrival to its reply, summed. */
  public long repliesTimed() {
    return replies.sum();
  }

  public long replyNanosTotal() {
    return replyNanos.sum();
  }

  /** Commands that followed a reply, and the time from each reply sent to the client's next command, summed. */
  public long clientTurns() {
    return clientTurns.sum();
  }

  public long clientNanosTotal() {
    return clientNanos.sum();
  }

  /** Command lines received, in all sessions. */
  public long commandsReceived() {
    return commands.sum();
  }

  void commandReceived() {
    commands.increment();
  }

  void replied(long nanos) {
    replyNanos.add(nanos);
    replies.increment();
  }

  void clientTurn(long nanos) {
    clientNanos.add(nanos);
    clientTurns.increment();
  }

  /** When each counted session ended ({@link System#nanoTime()}: the server's last reply, or the peer gone), sorted. */
  public List<Long> sessionEndNanos() {
    List<Long> ends = new ArrayList<>(sessionEnds);
    ends.sort(null);
    return ends;
  }

  /**
   * The most connections accepted within any sliding {@code window} (a start at t and one at t + window are in
   * different windows, as a rate limiter with that window counts them).
   */
  public int maxSessionsStartedWithin(Duration window) {
    return maxWithin(sessionStartNanos(), window.toNanos());
  }

  /** The most of the sorted {@code times} that lie within any half-open interval of length {@code width}. */
  public static int maxWithin(List<Long> times, long width) {
    int max = 0;
    int first = 0;
    for (int last = 0; last < times.size(); last++) {
      while (times.get(last) - times.get(first) >= width) {
        first++;
      }
      max = Math.max(max, last - first + 1);
    }
    return max;
  }

  /** The most connections that were open at the same time. */
  public int maxConcurrentSessions() {
    return maxConcurrent.get();
  }

  public int activeSessions() {
    return active.get();
  }

  /** Sessions that got 421 because the concurrency cap was reached. */
  public int refusedOverCap() {
    return refusedOverCap.get();
  }

  /** Sessions dropped with 421 "Error: too many errors". */
  public int errorLimitHits() {
    return errorLimitHits.get();
  }

  /** True when any session ever sent DATA (a prober never must). */
  public boolean dataReceived() {
    return dataReceived.get();
  }

  /** Commands received, one list per session in the order sessions opened. */
  public List<List<String>> transcripts() {
    List<List<String>> copy = new ArrayList<>();
    for (List<String> t : transcripts) {
      synchronized (t) {
        copy.add(List.copyOf(t));
      }
    }
    return copy;
  }

  /** All commands of all sessions, session after session. */
  public List<String> commands() {
    List<String> all = new ArrayList<>();
    transcripts().forEach(all::addAll);
    return all;
  }

  List<String> open(boolean recordTranscript) {
    sessionsOpened.incrementAndGet();
    sessionStarts.add(System.nanoTime());
    int now = active.incrementAndGet();
    maxConcurrent.accumulateAndGet(now, Math::max);
    List<String> transcript = Collections.synchronizedList(new ArrayList<>());
    if (recordTranscript) {
      transcripts.add(transcript);
    }
    return transcript;
  }

  int activeNow() {
    return active.get();
  }

  void closed() {
    sessionEnds.add(System.nanoTime());
    active.decrementAndGet();
  }

  void refusedOverCapOnce() {
    refusedOverCap.incrementAndGet();
  }

  void errorLimitHit() {
    errorLimitHits.incrementAndGet();
  }

  void sawData() {
    dataReceived.set(true);
  }
}
