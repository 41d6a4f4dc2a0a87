package io.mailprobe.jobs.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * One domain's queued addresses (in keyed state, not in a probe) by due time: an index this task keeps beside the
 * state so that taking the due ones does not scan every pending address of a hot domain (DESIGN §8). Keyed state
 * stays the truth: the index is rebuilt from it when a domain is first touched after a start or restore.
 */
final class DomainQueue {

  private record Entry(long dueAtMs, String eventId) implements Comparable<Entry> {
    @Override
    public int compareTo(Entry o) {
      int byTime = Long.compare(dueAtMs, o.dueAtMs);
      return byTime != 0 ? byTime : eventId.compareTo(o.eventId);
    }
  }

  private final TreeSet<Entry> byDue = new TreeSet<>();

  void add(String eventId, long dueAtMs) {
    byDue.add(new Entry(dueAtMs, eventId));
  }

  /** Removes and returns, earliest first, up to {@code limit} event ids due at or before {@code horizon}. */
  List<String> takeDue(long horizon, int limit) {
    List<String> out = new ArrayList<>();
    while (out.size() < limit && !byDue.isEmpty() && byDue.first().dueAtMs() <= horizon) {
      out.add(byDue.pollFirst().eventId());
    }
    return out;
  }

  /** The earliest due time queued, or {@link Long#MAX_VALUE} when none is. */
  long nextDueMs() {
    return byDue.isEmpty() ? Long.MAX_VALUE : byDue.first().dueAtMs();
  }

  int size() {
    return byDue.size();
  }

  boolean isEmpty() {
    return byDue.isEmpty();
  }
}
