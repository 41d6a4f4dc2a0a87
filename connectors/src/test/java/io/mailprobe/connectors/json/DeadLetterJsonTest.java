package io.mailprobe.connectors.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailprobe.connectors.signup.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DeadLetterJsonTest {

  @Test
  void roundTripKeepsTheOriginalBytesExactly() {
    byte[] notUtf8 = {(byte) 0xC3, '(', 0, (byte) 0xFF};
    DeadLetter letter =
        new DeadLetter(
            "k".getBytes(StandardCharsets.UTF_8),
            notUtf8,
            "signups",
            1,
            99,
            Instant.parse("2026-11-28T10:00:00Z"),
            "invalid_utf8: the value is not valid UTF-8 (bad byte at offset 0)",
            Instant.parse("2026-11-28T10:00:01.500Z"));
    byte[] json = DeadLetterJson.write(letter);
    assertThat(new String(json, StandardCharsets.UTF_8))
        .contains("\"value_base64\":\"wygA/w==\"", "\"key_base64\":\"aw==\"", "\"offset\":99");
    assertThat(DeadLetterJson.read(json)).isEqualTo(letter);
  }

  @Test
  void aTombstoneWithoutKeyOrTimestampRoundTrips() {
    DeadLetter letter =
        new DeadLetter(null, null, "signups", 0, 0, null, "no_value: tombstone", Instant.parse("2026-11-28T10:00:00Z"));
    byte[] json = DeadLetterJson.write(letter);
    assertThat(new String(json, StandardCharsets.UTF_8)).contains("\"value_base64\":null", "\"timestamp\":null");
    assertThat(DeadLetterJson.read(json)).isEqualTo(letter);
  }

  @Test
  void readRefusesWhatIsNotALetter() {
    assertThatThrownBy(() -> DeadLetterJson.read("{\"topic\":\"signups\"}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a dead letter: partition is missing");
    assertThatThrownBy(() -> DeadLetterJson.read("nope".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not JSON");
  }
}
