package io.mailprobe.connectors.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailprobe.connectors.json.SignupEventJson;
import io.mailprobe.connectors.signup.SignupEvent;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignupLineTest {

  private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");

  @Test
  void aBareAddressIsWrappedAsAnEventWithTheGivenIdAndTime() {
    byte[] value = SignupLine.value(bytes("Jane.Doe@Example.COM"), "id-1", NOW);

    assertThat(new String(value, StandardCharsets.UTF_8))
        .isEqualTo("{\"event_id\":\"id-1\",\"email\":\"Jane.Doe@Example.COM\",\"ts\":\"2026-11-28T10:00:00Z\"}");
    SignupEvent event = decode(value);
    assertThat(event.eventId()).isEqualTo("id-1");
    assertThat(event.email()).isEqualTo("Jane.Doe@Example.COM");
    assertThat(event.ts()).isEqualTo(NOW);
  }

  @Test
  void anAddressIsKeptExactlyAsWrittenEvenWhenItNeedsEscapingOrIsNotAnAddress() {
    assertThat(decode(SignupLine.value(bytes("\"john doe\"@acme.test"), "i", NOW)).email())
        .isEqualTo("\"john doe\"@acme.test");
    assertThat(decode(SignupLine.value(bytes(" jorg@bücher.test "), "i", NOW)).email()).isEqualTo(" jorg@bücher.test ");
    assertThat(decode(SignupLine.value(bytes("not an address"), "i", NOW)).email()).isEqualTo("not an address");
  }

  @Test
  void aJsonLineIsSentByteForByteEvenWhenInvalid() {
    byte[] event = bytes("  {\"event_id\": \"e-1\", \"email\": \"a@b.example\", \"plan\": \"pro\"}");
    assertThat(SignupLine.value(event, "unused", NOW)).isSameAs(event);

    byte[] broken = bytes("{\"email\": ");
    assertThat(SignupLine.value(broken, "unused", NOW)).isEqualTo(bytes("{\"email\": "));

    byte[] notUtf8 = {'{', '"', 'e', '"', ':', (byte) 0xC3, (byte) 0x28, '}'};
    assertThat(SignupLine.value(notUtf8, "unused", NOW)).containsExactly(notUtf8);
  }

  @Test
  void blankLinesAreNothingToSend() {
    assertThat(SignupLine.isBlank(bytes(""))).isTrue();
    assertThat(SignupLine.isBlank(bytes(" \t "))).isTrue();
    assertThat(SignupLine.isBlank(bytes(" a@b.example"))).isFalse();
    assertThat(SignupLine.isJson(bytes(" \t{}"))).isTrue();
    assertThat(SignupLine.isJson(bytes("a{b}@c.example"))).isFalse();
  }

  @Test
  void linesEndAtNewlinesWithOrWithoutCarriageReturnAndKeepTheirBytes() throws IOException {
    byte[] input = {'a', '\r', '\n', '\n', (byte) 0xFF, 'b', '\n', 'c'};
    ByteArrayInputStream in = new ByteArrayInputStream(input);
    List<byte[]> lines = new ArrayList<>();
    byte[] line;
    while ((line = ProduceCommand.readLine(in)) != null) {
      lines.add(line);
    }
    assertThat(lines).containsExactly(new byte[] {'a'}, new byte[0], new byte[] {(byte) 0xFF, 'b'}, new byte[] {'c'});
  }

  private static SignupEvent decode(byte[] value) {
    SignupEventJson.Decoded decoded = new SignupEventJson(65536).read(value, "signups", 0, 0);
    assertThat(decoded).isInstanceOf(SignupEventJson.Event.class);
    return ((SignupEventJson.Event) decoded).event();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
