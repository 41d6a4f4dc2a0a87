package io.mailprobe.jobs;

import io.mailprobe.pipeline.config.Parsers;
import io.mailprobe.pipeline.config.Setting;
import java.time.Duration;
import java.util.List;

/** The keys of the Flink job itself (DESIGN §6): checkpoints, parallelism, in-flight bounds, the verdict cache. */
public final class JobSettings {

  private JobSettings() {}

  public static final Setting<Duration> CHECKPOINT_INTERVAL =
      new Setting<>(
          "checkpoint-interval",
          "10s",
          "how often state is checkpointed; verdicts become visible to read_committed consumers at each one",
          Parsers::duration);
  public static final Setting<String> CHECKPOINT_DIR =
      new Setting<>(
          "checkpoint-dir",
          null,
          "where checkpoints go, as a URI (file:///..., s3://...); default: the cluster's configuration",
          text -> text);
  public static final Setting<Integer> PARALLELISM =
      new Setting<>("parallelism", null, "parallelism of the job (default: the cluster's)", Parsers.intIn(1, 4096));
  public static final Setting<Integer> MAX_PROBES_IN_FLIGHT =
      new Setting<>(
          "max-probes-in-flight",
          "1024",
          "domains probed at once per parallel instance, counting probes that wait for a host's session slot; more"
              + " wait for a slot",
          Parsers.intIn(1, 100_000));
  public static final Setting<Integer> MAX_ADDRESSES_PER_PROBE =
      new Setting<>(
          "max-addresses-per-probe",
          "500",
          "queued addresses of one domain taken into one probe (its sessions share them)",
          Parsers.intIn(1, 100_000));
  public static final Setting<Duration> PROBE_DELAY =
      new Setting<>(
          "probe-delay",
          "10ms",
          "how long the first queued address of an idle domain waits for others to share its session; addresses"
              + " that arrive while the domain's probe runs join its open session at once",
          Parsers::duration);
  public static final Setting<Duration> VERDICT_CACHE_TTL =
      new Setting<>(
          "verdict-cache-ttl",
          "1h",
          "a repeated address within this time gets the recent verdict without a new probe (0s: off)",
          Parsers::duration);

  /** Every job key. */
  public static final List<Setting<?>> ALL =
      List.of(
          CHECKPOINT_INTERVAL,
          CHECKPOINT_DIR,
          PARALLELISM,
          MAX_PROBES_IN_FLIGHT,
          MAX_ADDRESSES_PER_PROBE,
          PROBE_DELAY,
          VERDICT_CACHE_TTL);
}
