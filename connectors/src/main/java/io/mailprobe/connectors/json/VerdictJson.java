package io.mailprobe.connectors.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailprobe.pipeline.verdict.Flags;
import io.mailprobe.pipeline.verdict.Reason;
import io.mailprobe.pipeline.verdict.SmtpEvidence;
import io.mailprobe.pipeline.verdict.Status;
import io.mailprobe.pipeline.verdict.Verdict;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The verdict's JSON form of DESIGN §2, written field by field so that names and order are the documented ones and
 * nothing of the Java types leaks onto the wire.
 */
public final class VerdictJson {

  private static final JsonFactory FACTORY = new JsonFactory();
  private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

  private VerdictJson() {}

  /** The verdict as one line of JSON; {@code eventId} may be null (the one-off checker has no events). */
  public static byte[] write(String eventId, Verdict v) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("event_id", eventId);
      g.writeStringField("email", v.email());
      g.writeStringField("address", v.address());
      g.writeStringField("status", v.status().wireName());
      g.writeStringField("reason", v.reason().wireName());
      Flags f = v.flags();
      g.writeObjectFieldStart("flags");
      g.writeBooleanField("role", f.role());
      g.writeBooleanField("disposable", f.disposable());
      g.writeBooleanField("free_provider", f.freeProvider());
      g.writeBooleanField("catch_all", f.catchAll());
      g.writeBooleanField("greylisted", f.greylisted());
      g.writeBooleanField("full", f.full());
      g.writeBooleanField("disabled", f.disabled());
      g.writeEndObject();
      g.writeStringField("suggestion", v.suggestion());
      g.writeStringField("provider", v.provider());
      SmtpEvidence s = v.smtp();
      if (s == null) {
        g.writeNullField("smtp");
      } else {
        g.writeObjectFieldStart("smtp");
        g.writeStringField("mx", s.mx());
        g.writeStringField("ip", s.ip());
        if (s.code() == null) {
          g.writeNullField("code");
        } else {
          g.writeNumberField("code", s.code());
        }
        g.writeStringField("enhanced", s.enhanced());
        g.writeStringField("message", s.message());
        g.writeBooleanField("tls", s.tls());
        g.writeEndObject();
      }
      g.writeStringField("detail", v.detail());
      g.writeNumberField("attempts", v.attempts());
      g.writeStringField("retry_after", v.retryAfter() == null ? null : v.retryAfter().toString());
      g.writeStringField("checked_at", v.checkedAt().toString());
      g.writeNumberField("duration_ms", v.durationMs());
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // cannot happen writing to memory
    }
    return out.toByteArray();
  }

  /**
   * The record key of a verdict on Kafka: the normalized address, so that all verdicts for one mailbox land in one
   * partition in order; the input as given when it could not be normalized (bad syntax). Null only when both are.
   */
  public static byte[] key(Verdict v) {
    String key = v.address() != null ? v.address() : v.email();
    return key == null ? null : key.getBytes(StandardCharsets.UTF_8);
  }

  /** A verdict read back from its JSON form, with the event it answers. */
  public record EventVerdict(String eventId, Verdict verdict) {}

  /** Reads a verdict written by {@link #write}; throws {@link IllegalArgumentException} on anything else. */
  public static EventVerdict read(byte[] json) {
    JsonNode n;
    try {
      n = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // cannot happen reading from memory
    }
    if (n == null || !n.isObject() || !n.hasNonNull("status") || !n.hasNonNull("reason")) {
      throw new IllegalArgumentException("not a verdict: status and reason are required");
    }
    JsonNode f = n.path("flags");
    Flags flags =
        new Flags(
            f.path("role").asBoolean(),
            f.path("disposable").asBoolean(),
            f.path("free_provider").asBoolean(),
            f.path("catch_all").asBoolean(),
            f.path("greylisted").asBoolean(),
            f.path("full").asBoolean(),
            f.path("disabled").asBoolean());
    JsonNode s = n.path("smtp");
    SmtpEvidence smtp =
        s.isObject()
            ? new SmtpEvidence(
                text(s, "mx"),
                text(s, "ip"),
                s.hasNonNull("code") ? s.get("code").asInt() : null,
                text(s, "enhanced"),
                text(s, "message"),
                s.path("tls").asBoolean())
            : null;
    Verdict v =
        new Verdict(
            text(n, "email"),
            text(n, "address"),
            Status.fromWireName(n.get("status").asText()),
            Reason.fromWireName(n.get("reason").asText()),
            flags,
            text(n, "suggestion"),
            text(n, "provider"),
            smtp,
            text(n, "detail"),
            n.path("attempts").asInt(1),
            n.hasNonNull("retry_after") ? Instant.parse(n.get("retry_after").asText()) : null,
            Instant.parse(n.path("checked_at").asText(Instant.EPOCH.toString())),
            n.path("duration_ms").asLong());
    return new EventVerdict(text(n, "event_id"), v);
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
