package io.mailprobe.connectors.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailprobe.connectors.json.SignupEventJson.Decoded;
import io.mailprobe.connectors.json.SignupEventJson.Event;
import io.mailprobe.connectors.json.SignupEventJson.Rejected;
import io.mailprobe.connectors.signup.DecodeError;
import io.mailprobe.connectors.signup.DecodeError.Kind;
import io.mailprobe.connectors.signup.SignupEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SignupEventJsonTest {

  private final SignupEventJson json = new SignupEventJson(SignupEventJson.DEFAULT_MAX_EVENT_BYTES);

  private Decoded read(String value) {
    return json.read(value.getBytes(StandardCharsets.UTF_8), "signups", 3, 42);
  }

  private static SignupEvent event(Decoded d) {
    assertThat(d).isInstanceOf(Event.class);
    return ((Event) d).event();
  }

  private static DecodeError error(Decoded d) {
    assertThat(d).isInstanceOf(Rejected.class);
    return ((Rejected) d).error();
  }

  @Test
  void readsTheDocumentedEventAndCarriesOtherFieldsInMeta() {
    SignupEvent e =
        event(
            read(
                "{\"event_id\":\"e-123\",\"email\":\"Jane.Doe@Example.COM\",\"ts\":\"2026-11-28T10:00:00Z\","
                    + "\"source\":\"web\",\"utm\":{\"campaign\":\"x\"}}"));
    assertThat(e.eventId()).isEqualTo("e-123");
    assertThat(e.id()).isEqualTo("e-123");
    assertThat(e.email()).isEqualTo("Jane.Doe@Example.COM");
    assertThat(e.ts()).isEqualTo(Instant.parse("2026-11-28T10:00:00Z"));
    assertThat(e.meta()).isEqualTo("{\"source\":\"web\",\"utm\":{\"campaign\":\"x\"}}");
    assertThat(e.topic()).isEqualTo("signups");
    assertThat(e.partition()).isEqualTo(3);
    assertThat(e.offset()).isEqualTo(42);
  }

  @Test
  void withoutEventIdTheRecordCoordinatesAreTheId() {
    SignupEvent e = event(read("{\"email\":\"a@b.example\"}"));
    assertThat(e.eventId()).isNull();
    assertThat(e.id()).isEqualTo("signups-3-42");
    assertThat(e.ts()).isNull();
    assertThat(e.meta()).isEqualTo("{}");
    assertThat(event(read("{\"email\":\"a@b.example\",\"event_id\":\"\"}")).id()).isEqualTo("signups-3-42");
  }

  @Test
  void acceptsNumericIdsEpochMillisAndOffsetTimes() {
    SignupEvent e = event(read("{\"email\":\"a@b.example\",\"event_id\":17,\"ts\":1795860000000}"));
    assertThat(e.id()).isEqualTo("17");
    assertThat(e.ts()).isEqualTo(Instant.ofEpochMilli(1795860000000L));
    assertThat(event(read("{\"email\":\"a@b.example\",\"ts\":\"2026-11-28T12:00:00+02:00\"}")).ts())
        .isEqualTo(Instant.parse("2026-11-28T10:00:00Z"));
  }

  @Test
  void notJsonSaysWhere() {
    DecodeError e = error(read("{\"email\": nope}"));
    assertThat(e.kind()).isEqualTo(Kind.NOT_JSON);
    assertThat(e.message()).startsWith("the value is not JSON: ").contains("line 1, column");
    assertThat(error(read("   ")).message()).isEqualTo("the value is empty");
    assertThat(error(read("{\"email\":\"a@b.example\"} {}")).kind()).isEqualTo(Kind.NOT_JSON);
  }

  @Test
  void aRepeatedFieldIsRefused() {
    DecodeError e = error(read("{\"email\":\"a@b.example\",\"email\":\"c@d.example\"}"));
    assertThat(e.kind()).isEqualTo(Kind.NOT_JSON);
    assertThat(e.message()).contains("Duplicate field 'email'");
  }

  @Test
  void invalidUtf8NamesTheByte() {
    byte[] value = {'{', '"', 'e', 'm', 'a', 'i', 'l', '"', ':', '"', (byte) 0xC3, '(', '"', '}'};
    DecodeError e = error(json.read(value, "signups", 0, 0));
    assertThat(e.kind()).isEqualTo(Kind.INVALID_UTF8);
    assertThat(e.message()).isEqualTo("the value is not valid UTF-8 (bad byte at offset 10)");
  }

  @Test
  void utf16IsNotSniffedIntoAnEvent() {
    byte[] value = "{\"email\":\"a@b.example\"}".getBytes(StandardCharsets.UTF_16BE);
    assertThat(error(json.read(value, "signups", 0, 0)).kind()).isEqualTo(Kind.NOT_JSON);
  }

  @Test
  void notAnObjectNamesWhatItIs() {
    assertThat(error(read("[\"a@b.example\"]")))
        .isEqualTo(new DecodeError(Kind.NOT_AN_OBJECT, "the value is an array, not a JSON object"));
    assertThat(error(read("\"a@b.example\"")).message()).isEqualTo("the value is a string, not a JSON object");
    assertThat(error(read("null")).message()).isEqualTo("the value is null, not a JSON object");
  }

  @Test
  void emailMissingNullOrNotAString() {
    assertThat(error(read("{\"event_id\":\"e-1\"}")))
        .isEqualTo(new DecodeError(Kind.EMAIL_MISSING, "email is missing"));
    assertThat(error(read("{\"email\":null}"))).isEqualTo(new DecodeError(Kind.EMAIL_MISSING, "email is null"));
    assertThat(error(read("{\"email\":42}")))
        .isEqualTo(new DecodeError(Kind.EMAIL_NOT_STRING, "email is a number, not a string"));
    assertThat(error(read("{\"email\":[\"a@b.example\"]}")).message()).isEqualTo("email is an array, not a string");
  }

  @Test
  void badEventIdAndTs() {
    assertThat(error(read("{\"email\":\"a@b.example\",\"event_id\":{}}")))
        .isEqualTo(new DecodeError(Kind.BAD_EVENT_ID, "event_id is an object, not a string or a whole number"));
    assertThat(error(read("{\"email\":\"a@b.example\",\"ts\":\"yesterday\"}")))
        .isEqualTo(new DecodeError(Kind.BAD_TS, "ts \"yesterday\" is not an ISO-8601 instant"));
    assertThat(error(read("{\"email\":\"a@b.example\",\"ts\":true}")).kind()).isEqualTo(Kind.BAD_TS);
  }

  @Test
  void tooLargeIsRefusedBeforeParsing() {
    SignupEventJson small = new SignupEventJson(32);
    byte[] value = ("{\"email\":\"a@b.example\",\"pad\":\"" + "x".repeat(40) + "\"}").getBytes(StandardCharsets.UTF_8);
    DecodeError e = error(small.read(value, "signups", 0, 0));
    assertThat(e.kind()).isEqualTo(Kind.TOO_LARGE);
    assertThat(e.message())
        .isEqualTo("the value is " + value.length + " bytes, more than the 32 allowed (max-event-bytes)");
    byte[] exactly = "{\"email\":\"a@b.example\"}".getBytes(StandardCharsets.UTF_8);
    assertThat(new SignupEventJson(exactly.length).read(exactly, "signups", 0, 0)).isInstanceOf(Event.class);
  }

  @Test
  void aTombstoneHasNoValue() {
    assertThat(error(json.read(null, "signups", 0, 0)).kind()).isEqualTo(Kind.NO_VALUE);
  }

  @Test
  void writeThenReadKeepsEveryField() {
    SignupEvent original =
        new SignupEvent(
            "e-9", "x@y.example", Instant.parse("2026-11-28T10:00:00Z"), "{\"source\":\"app\"}", "signups", 3, 42);
    assertThat(event(json.read(SignupEventJson.write(original), "signups", 3, 42))).isEqualTo(original);
  }
}
