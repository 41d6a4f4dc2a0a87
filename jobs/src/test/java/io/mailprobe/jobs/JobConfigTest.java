package io.mailprobe.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class JobConfigTest {

  @Test
  void probeSlotsByDefaultOutnumberTheSessionsOfHundredsOfHosts() {
    // A probe waiting for a host's session slot holds a probe slot: with 256 slots, probes queued behind busy hosts
    // took them all while other hosts sat idle (scripts/bench, 400 domains on 100 hosts: 0.56 of the bound; 1024: 0.71).
    assertThat(JobConfig.maxProbesInFlight(Map.of())).isEqualTo(1024);
    assertThat(JobConfig.maxProbesInFlight(Map.of("max-probes-in-flight", "64"))).isEqualTo(64);
  }

  @Test
  void perHostLimitsAreDividedByTheParallelism() {
    var values = JobConfig.verification(Map.of("max-sessions-per-host", "4"), 2);
    assertThat(values.asMap()).containsEntry("max-sessions-per-host", "2");
    assertThat(JobConfig.verification(Map.of("max-sessions-per-host", "2"), 2).asMap())
        .containsEntry("max-sessions-per-host", "1");
  }
}
