package io.mailprobe.jobs.verify;

import io.mailprobe.pipeline.verdict.Verdict;
import io.mailprobe.pipeline.verify.VerificationEngine;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntSupplier;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * The operator's metrics, under the group {@code mailprobe}: verdicts by status and reason, probe durations, SMTP
 * sessions, probes and sessions in flight, addresses waiting, retries scheduled and cache hits.
 */
final class VerifierMetrics {

  private final MetricGroup group;
  private final Map<String, Counter> verdicts = new HashMap<>();
  private final Histogram probeDurationMs;
  private final Counter smtpSessions;
  private final Counter retriesScheduled;
  private final Counter reissuedAfterRestore;
  private final Counter verdictCacheHits;

  VerifierMetrics(MetricGroup operatorGroup, VerificationEngine engine, IntSupplier probesInFlight, IntSupplier waiting) {
    this.group = operatorGroup.addGroup("mailprobe");
    this.probeDurationMs = group.histogram("probeDurationMs", new DescriptiveStatisticsHistogram(1000));
    this.smtpSessions = group.counter("smtpSessions");
    this.retriesScheduled = group.counter("retriesScheduled");
    this.reissuedAfterRestore = group.counter("reissuedAfterRestore");
    this.verdictCacheHits = group.counter("verdictCacheHits");
    group.gauge("probesInFlight", (Gauge<Integer>) probesInFlight::getAsInt);
    group.gauge("sessionsInFlight", (Gauge<Integer>) () -> engine.prober().sessionsInFlight());
    group.gauge("addressesWaiting", (Gauge<Integer>) waiting::getAsInt);
    group.gauge("dnsCacheHits", (Gauge<Long>) () -> engine.resolver().cacheHits());
  }

  void verdict(Verdict v) {
    String status = v.status().wireName();
    String reason = v.reason().wireName();
    verdicts
        .computeIfAbsent(
            status + "/" + reason,
            k -> group.addGroup("status", status).addGroup("reason", reason).counter("verdicts"))
        .inc();
  }

  void probe(long durationMs, int sessions) {
    probeDurationMs.update(durationMs);
    smtpSessions.inc(sessions);
  }

  void retryScheduled() {
    retriesScheduled.inc();
  }

  void reissued(int count) {
    reissuedAfterRestore.inc(count);
  }

  void cacheHit() {
    verdictCacheHits.inc();
  }
}
