package io.mailprobe.jobs;

import io.mailprobe.connectors.config.KafkaSettings;
import io.mailprobe.pipeline.config.Setting;
import io.mailprobe.pipeline.config.SettingValues;
import io.mailprobe.pipeline.config.VerificationSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The job's configuration as it travels to the operators: the given {@code key -> value} texts (a plain map, so it
 * serializes with the job graph), read back through the one set of keys of DESIGN §6.
 */
public final class JobConfig {

  private JobConfig() {}

  /** Every key the job accepts: verification, Kafka and job keys. */
  public static List<Setting<?>> keys() {
    List<Setting<?>> all = new ArrayList<>(VerificationSettings.ALL);
    all.addAll(KafkaSettings.ALL);
    all.addAll(JobSettings.ALL);
    return List.copyOf(all);
  }

  /**
   * The verification settings one parallel instance uses. Per-host limits are cluster-wide and each instance keeps
   * its own count, so they are divided by the parallelism (at least 1 each).
   */
  public static SettingValues verification(Map<String, String> given, int parallelism) {
    SettingValues all = SettingValues.of(given, VerificationSettings.ALL);
    Map<String, String> perInstance = new HashMap<>(given);
    divide(perInstance, VerificationSettings.MAX_SESSIONS_PER_HOST, all, parallelism);
    divide(perInstance, VerificationSettings.SESSIONS_PER_MINUTE_PER_HOST, all, parallelism);
    return SettingValues.of(perInstance, VerificationSettings.ALL);
  }

  public static int maxProbesInFlight(Map<String, String> given) {
    return job(given).get(JobSettings.MAX_PROBES_IN_FLIGHT);
  }

  public static int maxAddressesPerProbe(Map<String, String> given) {
    return job(given).get(JobSettings.MAX_ADDRESSES_PER_PROBE);
  }

  public static Duration probeDelay(Map<String, String> given) {
    return job(given).get(JobSettings.PROBE_DELAY);
  }

  public static Duration verdictCacheTtl(Map<String, String> given) {
    return job(given).get(JobSettings.VERDICT_CACHE_TTL);
  }

  public static Duration catchAllTtl(SettingValues verification) {
    return verification.get(VerificationSettings.CATCH_ALL_TTL);
  }

  private static SettingValues job(Map<String, String> given) {
    return SettingValues.of(given, JobSettings.ALL);
  }

  private static void divide(Map<String, String> out, Setting<Integer> key, SettingValues all, int parallelism) {
    out.put(key.key(), Integer.toString(Math.max(1, all.get(key) / Math.max(1, parallelism))));
  }
}
