package io.mailprobe.jobs.verify;

import io.mailprobe.connectors.json.VerdictJson;
import io.mailprobe.connectors.json.VerdictJson.EventVerdict;
import io.mailprobe.jobs.JobConfig;
import io.mailprobe.jobs.VerificationRequest;
import io.mailprobe.pipeline.classify.Disposition;
import io.mailprobe.pipeline.config.SettingValues;
import io.mailprobe.pipeline.verdict.Reason;
import io.mailprobe.pipeline.verdict.Status;
import io.mailprobe.pipeline.verdict.Verdict;
import io.mailprobe.pipeline.verify.Attempt;
import io.mailprobe.pipeline.verify.CatchAllStatus;
import io.mailprobe.pipeline.verify.CheckedAddress;
import io.mailprobe.pipeline.verify.Decision;
import io.mailprobe.pipeline.verify.DomainReport;
import io.mailprobe.pipeline.verify.Pending;
import io.mailprobe.pipeline.verify.Precheck;
import io.mailprobe.pipeline.verify.VerificationEngine;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.StreamOperatorParameters;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The keyed heart of the job (DESIGN §1): per domain it queues addresses, runs non-blocking probes through the
 * core's {@code DomainVerifier}, and turns their decisions into exactly one verdict per event or a greylist retry
 * on a processing-time timer.
 *
 * <p>All state changes happen on the task thread: probe completions come back through the mailbox. Addresses in a
 * running probe are marked in keyed state, so a restore from a checkpoint taken mid-probe asks them again (probes
 * at least once, verdicts exactly once).
 */
public final class DomainVerifierOperator extends AbstractStreamOperator<EventVerdict>
    implements OneInputStreamOperator<VerificationRequest, EventVerdict>, Triggerable<String, VoidNamespace> {

  static final String PENDING = "pending";
  static final String PROBING = "probing";
  static final String CATCH_ALL = "catch-all";
  static final String RECENT = "recent-verdicts";
  static final String HEALTH = "health";
  private static final long RETRY_AFTER_FAILURE_MS = 60_000;

  private final Map<String, String> settings;
  private final transient MailboxExecutor mailbox;

  private transient VerificationEngine engine;
  private transient MapState<String, PendingAddress> pending;
  private transient ValueState<Boolean> probing;
  private transient ValueState<String> catchAll;
  private transient MapState<String, byte[]> recent;
  private transient ValueState<DomainHealth> health;
  private transient InternalTimerService<VoidNamespace> timers;
  private transient VerifierMetrics metrics;

  // Per-incarnation bookkeeping; keyed state is the truth, these only pace the work.
  private transient Set<String> probingNow;
  private transient ArrayDeque<String> waitingForSlot;
  private transient Set<String> queuedForSlot;
  private transient Map<String, DomainQueue> queues;
  // Domains with pending addresses in restored state whose queue index is not built yet; any other domain without
  // an index has nothing pending, so its index starts empty without reading state.
  private transient Set<String> restoredPending;
  private transient int maxProbes;
  private transient int maxPerProbe;
  private transient long probeDelayMs;
  private transient boolean cacheVerdicts;

  DomainVerifierOperator(
      StreamOperatorParameters<EventVerdict> parameters, Map<String, String> settings, MailboxExecutor mailbox) {
    super(parameters);
    this.settings = settings;
    this.mailbox = mailbox;
  }

  @Override
  public void open() throws Exception {
    super.open();
    int parallelism = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
    SettingValues values = JobConfig.verification(settings, parallelism);
    engine = VerificationEngine.create(values, new ProcessingTimeClock(this::now));
    maxProbes = JobConfig.maxProbesInFlight(settings);
    maxPerProbe = JobConfig.maxAddressesPerProbe(settings);
    probeDelayMs = JobConfig.probeDelay(settings).toMillis();
    Duration cacheTtl = JobConfig.verdictCacheTtl(settings);
    cacheVerdicts = !cacheTtl.isZero();

    pending = getRuntimeContext().getMapState(new MapStateDescriptor<>(PENDING, Types.STRING, Types.POJO(PendingAddress.class)));
    probing = getRuntimeContext().getState(new ValueStateDescriptor<>(PROBING, Types.BOOLEAN));
    ValueStateDescriptor<String> catchAllDescriptor = new ValueStateDescriptor<>(CATCH_ALL, Types.STRING);
    catchAllDescriptor.enableTimeToLive(ttl(JobConfig.catchAllTtl(values)));
    catchAll = getRuntimeContext().getState(catchAllDescriptor);
    MapStateDescriptor<String, byte[]> recentDescriptor =
        new MapStateDescriptor<>(RECENT, Types.STRING, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
    if (cacheVerdicts) {
      recentDescriptor.enableTimeToLive(ttl(cacheTtl));
    }
    recent = getRuntimeContext().getMapState(recentDescriptor);
    health = getRuntimeContext().getState(new ValueStateDescriptor<>(HEALTH, Types.POJO(DomainHealth.class)));
    timers = getInternalTimerService("domain-timers", VoidNamespaceSerializer.INSTANCE, this);

    probingNow = new HashSet<>();
    waitingForSlot = new ArrayDeque<>();
    queuedForSlot = new HashSet<>();
    queues = new HashMap<>();
    metrics =
        new VerifierMetrics(
            getMetricGroup(),
            engine,
            () -> probingNow.size(),
            () -> queues.values().stream().mapToInt(DomainQueue::size).sum());

    restoredPending = new HashSet<>();
    try (Stream<String> keys = this.<String>getKeyedStateBackend().getKeys(PENDING, VoidNamespace.INSTANCE)) {
      keys.forEach(restoredPending::add);
    }
    // Work that was in flight when the restored checkpoint was taken: ask again, now.
    List<String> interrupted;
    try (Stream<String> keys = this.<String>getKeyedStateBackend().getKeys(PROBING, VoidNamespace.INSTANCE)) {
      interrupted = keys.toList();
    }
    long now = now();
    for (String domain : interrupted) {
      setCurrentKey(domain);
      timers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, now);
    }
  }

  @Override
  public void processElement(StreamRecord<VerificationRequest> element) throws Exception {
    VerificationRequest request = element.getValue();
    long now = now();
    DomainQueue queue = queueOf(request.domain); // built from state before this address joins it
    pending.put(request.eventId, new PendingAddress(request.eventId, request.email, now, now + probeDelayMs));
    queue.add(request.eventId, now + probeDelayMs);
    if (probeDelayMs == 0) {
      drain(request.domain);
    } else if (!probingNow.contains(request.domain)) {
      // Others of the domain arriving meanwhile share the session; timers of the same time are one timer.
      timers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, now + probeDelayMs);
    }
  }

  @Override
  public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
    drain(timer.getKey());
  }

  @Override
  public void onEventTime(InternalTimer<String, VoidNamespace> timer) {
    // no event-time timers
  }

  // Starts a probe of the current key's due addresses unless one is running; the current key must be the domain.
  private void drain(String domain) throws Exception {
    if (probingNow.contains(domain)) {
      return; // its completion drains again
    }
    if (probingNow.size() >= maxProbes) {
      if (queuedForSlot.add(domain)) {
        waitingForSlot.add(domain); // picked when a slot frees up
      }
      return;
    }
    long now = now();
    Picked picked = pick(domain, now, now, maxPerProbe);
    List<PendingAddress> batch = picked.batch;
    if (batch.isEmpty()) {
      probing.clear();
      if (queues.get(domain).isEmpty()) {
        queues.remove(domain); // nothing of the domain is left in state either
      }
      return;
    }
    probing.update(true);
    probingNow.add(domain);
    CatchAllStatus known = catchAll.value() == null ? CatchAllStatus.UNKNOWN : CatchAllStatus.valueOf(catchAll.value());
    try {
      engine
          .domainVerifier()
          .verify(domain, picked.work, known, () -> joinRunningProbe(domain, batch))
          .whenComplete(
              (report, error) ->
                  mailbox.execute(
                      () -> complete(domain, batch, known, report, error, now), "mailprobe verdicts of %s", domain));
    } catch (RuntimeException e) {
      complete(domain, batch, known, null, e, now);
    }
  }

  // Asked by a running probe of `domain` (on its event loop) when it has asked everything it holds: addresses that
  // arrived meanwhile join its open session instead of waiting for a new one and a free session slot.
  private CompletableFuture<List<Pending>> joinRunningProbe(String domain, List<PendingAddress> batch) {
    CompletableFuture<List<Pending>> joined = new CompletableFuture<>();
    try {
      mailbox.execute(
          () -> {
            try {
              setCurrentKey(domain);
              long now = now();
              // New arrivals wait out probe-delay only to be batched: an open session takes them at once.
              Picked picked = pick(domain, now, now + probeDelayMs, maxPerProbe - batch.size());
              batch.addAll(picked.batch);
              joined.complete(picked.work);
            } catch (Exception | Error e) {
              joined.completeExceptionally(e);
              throw e;
            }
          },
          "mailprobe addresses joining the probe of %s",
          domain);
    } catch (RuntimeException e) {
      joined.complete(List.of()); // the mailbox is closing: the probe ends with what it has
    }
    return joined;
  }

  /** Addresses taken for a probe (marked in flight) and their work items for the core, in the same order. */
  private record Picked(List<PendingAddress> batch, List<Pending> work) {}

  // The current key's queue index. A domain with restored pending state has it built from that state on first use;
  // no probe of the domain has run in this task before, so entries still marked in flight are left from one that
  // the restore interrupted: they are due at once.
  private DomainQueue queueOf(String domain) throws Exception {
    DomainQueue queue = queues.get(domain);
    if (queue == null) {
      queue = new DomainQueue();
      if (restoredPending.remove(domain)) {
        for (PendingAddress p : pending.values()) {
          queue.add(p.eventId, p.inFlight ? 0 : p.dueAtMs);
        }
      }
      queues.put(domain, queue);
    }
    return queue;
  }

  // Takes up to `limit` of the current key's queued addresses due by `horizon` (none while the domain backs off),
  // settles those that need no probe (a cached verdict, or lists changed since the precheck), marks the rest in
  // flight, and schedules a timer for the next one due.
  private Picked pick(String domain, long now, long horizon, int limit) throws Exception {
    DomainQueue queue = queueOf(domain);
    DomainHealth h = health.value();
    long notBefore = h == null ? 0 : h.backoffUntilMs;
    List<String> due = notBefore > horizon ? List.of() : queue.takeDue(horizon, limit);
    if (!queue.isEmpty()) {
      long next = Math.max(Math.max(queue.nextDueMs(), notBefore), now + 1);
      timers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, next);
    }
    int reissued = 0;
    List<PendingAddress> batch = new ArrayList<>(due.size());
    List<Pending> work = new ArrayList<>(due.size());
    for (String eventId : due) {
      PendingAddress p = pending.get(eventId);
      if (p == null || (p.inFlight && probingNow.contains(domain))) {
        continue; // an event id seen twice: settled already, or in the running probe
      }
      if (p.inFlight) {
        reissued++; // its probe ended with the task it ran in; nothing of it was emitted
      }
      Precheck.Result result = engine.precheck().check(p.email);
      if (result instanceof Precheck.Result.Decided decided) {
        finish(p, decided.verdict()); // only if the lists changed since the event was prechecked
        continue;
      }
      CheckedAddress address = ((Precheck.Result.ToProbe) result).address();
      Verdict cached = cachedVerdict(address);
      if (cached != null) {
        metrics.cacheHit();
        emit(p.eventId, cached);
        pending.remove(p.eventId);
        continue;
      }
      p.inFlight = true;
      pending.put(p.eventId, p);
      batch.add(p);
      work.add(new Pending(address, new Attempt(p.attempt, Instant.ofEpochMilli(p.firstAttemptAtMs), p.greylistedBefore)));
    }
    if (reissued > 0) {
      metrics.reissued(reissued);
      // One line per domain after a restore: scripts/chaos sums them (the counter dies with the process).
      LOG.info("re-issuing {} address(es) of {} whose probe was interrupted by a restore", reissued, domain);
    }
    return new Picked(batch, work);
  }

  // Runs on the task thread when a probe ends.
  private void complete(
      String domain,
      List<PendingAddress> batch,
      CatchAllStatus known,
      DomainReport report,
      Throwable error,
      long started)
      throws Exception {
    setCurrentKey(domain);
    probingNow.remove(domain);
    long now = now();
    if (report == null) {
      // The core completes normally by contract; if it ever does not, the addresses wait and are asked again.
      LOG.warn("probe of {} failed unexpectedly; retrying in {} ms", domain, RETRY_AFTER_FAILURE_MS, error);
      retryLater(domain, batch, now);
    } else if (report.decisions().size() != batch.size()) {
      // The core decides every address it was given or fed; anything else is a bug: ask them all again later.
      LOG.error("probe of {} decided {} of {} addresses; retrying in {} ms",
          domain, report.decisions().size(), batch.size(), RETRY_AFTER_FAILURE_MS);
      retryLater(domain, batch, now);
    } else {
      metrics.probe(now - started, report.sessions());
      DomainHealth before = health.value();
      DomainHealth h = before == null ? new DomainHealth() : before;
      boolean changed = false;
      for (int i = 0; i < batch.size(); i++) {
        PendingAddress p = batch.get(i);
        Decision decision = report.decisions().get(i);
        Verdict verdict = decision.verdict();
        changed |= record(h, verdict.reason());
        if (decision.isFinal()) {
          finish(p, verdict);
          continue;
        }
        p.attempt++;
        p.greylistedBefore |= verdict.reason() == Reason.GREYLISTED;
        p.dueAtMs = verdict.retryAfter().toEpochMilli();
        p.inFlight = false;
        pending.put(p.eventId, p);
        queueOf(domain).add(p.eventId, p.dueAtMs);
        timers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, p.dueAtMs);
        metrics.retryScheduled();
        if (decision.disposition() == Disposition.BACK_OFF_DOMAIN) {
          h.backoffUntilMs = Math.max(h.backoffUntilMs, p.dueAtMs);
          changed = true;
        }
      }
      if (changed) {
        health.update(h); // healthy domains keep no health state
      }
      if (known == CatchAllStatus.UNKNOWN && report.catchAll() != CatchAllStatus.UNKNOWN) {
        catchAll.update(report.catchAll().name()); // the TTL counts from the probe that found it
      }
    }
    probing.clear();
    drain(domain);
    serveWaitingDomains();
  }

  private void retryLater(String domain, List<PendingAddress> batch, long now) throws Exception {
    DomainQueue queue = queueOf(domain);
    for (PendingAddress p : batch) {
      p.inFlight = false;
      p.dueAtMs = now + RETRY_AFTER_FAILURE_MS;
      pending.put(p.eventId, p);
      queue.add(p.eventId, p.dueAtMs);
    }
    timers.registerProcessingTimeTimer(VoidNamespace.INSTANCE, now + RETRY_AFTER_FAILURE_MS);
  }

  private void serveWaitingDomains() throws Exception {
    while (probingNow.size() < maxProbes && !waitingForSlot.isEmpty()) {
      String next = waitingForSlot.poll();
      queuedForSlot.remove(next);
      setCurrentKey(next);
      drain(next);
    }
  }

  private void finish(PendingAddress p, Verdict verdict) throws Exception {
    emit(p.eventId, verdict);
    pending.remove(p.eventId);
    if (cacheVerdicts && verdict.status() != Status.UNKNOWN && verdict.address() != null) {
      recent.put(verdict.address(), VerdictJson.write(null, verdict));
    }
  }

  private Verdict cachedVerdict(CheckedAddress address) throws Exception {
    if (!cacheVerdicts) {
      return null;
    }
    byte[] json = recent.get(address.normalized());
    if (json == null) {
      return null;
    }
    Verdict v = VerdictJson.read(json).verdict();
    // Same answer, this event's own input.
    return new Verdict(
        address.input(), v.address(), v.status(), v.reason(), v.flags().withRole(address.flags().role()),
        v.suggestion(), v.provider(), v.smtp(), v.detail(), v.attempts(), null, v.checkedAt(), 0);
  }

  private void emit(String eventId, Verdict verdict) {
    metrics.verdict(verdict);
    output.collect(new StreamRecord<>(new EventVerdict(eventId, verdict)));
  }

  // Counts the replies that say something about the domain's treatment of us; true when one did.
  private static boolean record(DomainHealth h, Reason reason) {
    switch (reason) {
      case BLOCKED -> h.blocked++;
      case TIMEOUT -> h.timeouts++;
      case RATE_LIMITED -> h.rateLimited++;
      default -> {
        return false;
      }
    }
    return true;
  }

  private long now() {
    return getProcessingTimeService().getCurrentProcessingTime();
  }

  private static StateTtlConfig ttl(Duration ttl) {
    return StateTtlConfig.newBuilder(ttl)
        .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
        .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
        .build();
  }

  @Override
  public void finish() throws Exception {
    // A bounded input ends: let running probes deliver their verdicts (greylist retries due later are not waited
    // for; they are in state and resume with the job).
    while (!probingNow.isEmpty()) {
      mailbox.yield();
    }
    super.finish();
  }

  @Override
  public void close() throws Exception {
    try {
      if (engine != null) {
        engine.close();
      }
    } finally {
      super.close();
    }
  }
}
