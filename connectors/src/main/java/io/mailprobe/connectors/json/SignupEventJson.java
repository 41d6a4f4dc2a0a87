package io.mailprobe.connectors.json;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mailprobe.connectors.signup.DecodeError;
import io.mailprobe.connectors.signup.DecodeError.Kind;
import io.mailprobe.connectors.signup.SignupEvent;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Map;

/**
 * Reads the signup events of DESIGN §2 from record values: {@code email} is required, {@code event_id} and
 * {@code ts} are optional, every other field is carried through in {@link SignupEvent#meta()}. Anything else is a
 * {@link DecodeError} naming what is wrong, never an exception, so that one bad record costs a dead letter and not
 * the job.
 *
 * <p>Rules beyond the brief: an empty {@code event_id} counts as absent (it could not tell events apart);
 * {@code event_id} may be a whole number; {@code ts} may be an ISO-8601 instant or offset date-time, or epoch
 * milliseconds; a field given twice is refused, since two readers could then disagree about which address was meant.
 */
public final class SignupEventJson {

  /** The default largest value accepted, 64 KiB: a signup is a few hundred bytes. */
  public static final int DEFAULT_MAX_EVENT_BYTES = 64 * 1024;

  private static final JsonMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private final int maxEventBytes;

  /** A reader refusing values larger than {@code maxEventBytes}. */
  public SignupEventJson(int maxEventBytes) {
    if (maxEventBytes < 1) {
      throw new IllegalArgumentException("maxEventBytes must be positive: " + maxEventBytes);
    }
    this.maxEventBytes = maxEventBytes;
  }

  /** What one record value became: an event, or the reason it is not one. */
  public sealed interface Decoded permits Event, Rejected {}

  /** The value was a signup event. */
  public record Event(SignupEvent event) implements Decoded {}

  /** The value was not a signup event. */
  public record Rejected(DecodeError error) implements Decoded {}

  /** Decodes one record value (null for a tombstone) read at {@code topic}/{@code partition}/{@code offset}. */
  public Decoded read(byte[] value, String topic, int partition, long offset) {
    if (value == null) {
      return reject(Kind.NO_VALUE, "the record has no value (a tombstone)");
    }
    if (value.length > maxEventBytes) {
      return reject(
          Kind.TOO_LARGE,
          "the value is " + value.length + " bytes, more than the " + maxEventBytes + " allowed (max-event-bytes)");
    }
    // Decoding first, rather than letting Jackson sniff the bytes, pins the encoding to UTF-8 (Jackson would read
    // bytes with NULs as UTF-16/32) and names the offending byte.
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(value);
    CharBuffer text = CharBuffer.allocate(value.length); // UTF-8 never yields more chars than bytes
    CoderResult result = decoder.decode(in, text, true);
    if (!result.isError()) {
      result = decoder.flush(text);
    }
    if (result.isError()) {
      return reject(Kind.INVALID_UTF8, "the value is not valid UTF-8 (bad byte at offset " + in.position() + ")");
    }
    String json = text.flip().toString();
    if (json.isBlank()) {
      return reject(Kind.NOT_JSON, "the value is empty");
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      return reject(Kind.NOT_JSON, "the value is not JSON: " + e.getOriginalMessage() + where);
    }
    if (!root.isObject()) {
      return reject(Kind.NOT_AN_OBJECT, "the value is " + describe(root) + ", not a JSON object");
    }
    ObjectNode event = (ObjectNode) root;

    JsonNode email = event.remove("email");
    if (email == null || email.isNull()) {
      return reject(Kind.EMAIL_MISSING, email == null ? "email is missing" : "email is null");
    }
    if (!email.isTextual()) {
      return reject(Kind.EMAIL_NOT_STRING, "email is " + describe(email) + ", not a string");
    }

    JsonNode idNode = event.remove("event_id");
    String eventId = null;
    if (idNode != null && !idNode.isNull()) {
      if (idNode.isTextual()) {
        eventId = idNode.textValue().isEmpty() ? null : idNode.textValue();
      } else if (idNode.isIntegralNumber()) {
        eventId = idNode.asText();
      } else {
        return reject(Kind.BAD_EVENT_ID, "event_id is " + describe(idNode) + ", not a string or a whole number");
      }
    }

    JsonNode tsNode = event.remove("ts");
    Instant ts = null;
    if (tsNode != null && !tsNode.isNull()) {
      if (tsNode.isTextual()) {
        ts = instant(tsNode.textValue());
        if (ts == null) {
          return reject(Kind.BAD_TS, "ts \"" + clip(tsNode.textValue()) + "\" is not an ISO-8601 instant");
        }
      } else if (tsNode.isIntegralNumber() && tsNode.canConvertToLong()) {
        ts = Instant.ofEpochMilli(tsNode.longValue());
      } else {
        return reject(Kind.BAD_TS, "ts is " + describe(tsNode) + ", not an ISO-8601 instant or epoch milliseconds");
      }
    }

    return new Event(
        new SignupEvent(eventId, email.textValue(), ts, event.toString(), topic, partition, offset));
  }

  /** The event as a record value: event_id and ts when present, email, then the carried-through fields. */
  public static byte[] write(SignupEvent event) {
    ObjectNode out = MAPPER.createObjectNode();
    if (event.eventId() != null) {
      out.put("event_id", event.eventId());
    }
    out.put("email", event.email());
    if (event.ts() != null) {
      out.put("ts", event.ts().toString());
    }
    try {
      JsonNode meta = MAPPER.readTree(event.meta());
      for (Iterator<Map.Entry<String, JsonNode>> it = meta.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        out.set(field.getKey(), field.getValue());
      }
      return MAPPER.writeValueAsBytes(out);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("meta is not a JSON object: " + e.getOriginalMessage(), e);
    }
  }

  private static Instant instant(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      try {
        return OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
  }

  private static String describe(JsonNode n) {
    return switch (n.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      default -> "a " + n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  // Error messages quote input; a hostile value must not make them unbounded.
  private static String clip(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64) + "...";
  }

  private static Rejected reject(Kind kind, String message) {
    return new Rejected(new DecodeError(kind, message));
  }
}
