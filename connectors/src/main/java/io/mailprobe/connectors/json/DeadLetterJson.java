package io.mailprobe.connectors.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mailprobe.connectors.signup.DeadLetter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Base64;

/**
 * The JSON form of a {@link DeadLetter} on the dead-letter topic. The original key and value travel as base64 so
 * that bytes which are not UTF-8 (one reason to be dead-lettered) survive exactly and can be replayed:
 *
 * <pre>{@code {"topic":"signups","partition":0,"offset":42,"timestamp":"2026-11-28T10:00:00Z",
 *  "key_base64":null,"value_base64":"e30=","error":"email_missing: email is missing",
 *  "dead_lettered_at":"2026-11-28T10:00:01.5Z"}}</pre>
 */
public final class DeadLetterJson {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private DeadLetterJson() {}

  /** The letter as one line of JSON. */
  public static byte[] write(DeadLetter letter) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("topic", letter.topic());
    n.put("partition", letter.partition());
    n.put("offset", letter.offset());
    n.put("timestamp", letter.timestamp() == null ? null : letter.timestamp().toString());
    n.put("key_base64", base64(letter.key()));
    n.put("value_base64", base64(letter.value()));
    n.put("error", letter.error());
    n.put("dead_lettered_at", letter.deadLetteredAt().toString());
    try {
      return MAPPER.writeValueAsBytes(n);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e); // a tree of strings and numbers always writes
    }
  }

  /** Reads a letter written by {@link #write}; throws {@link IllegalArgumentException} on anything else. */
  public static DeadLetter read(byte[] json) {
    JsonNode n;
    try {
      n = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // cannot happen reading from memory
    }
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("not a dead letter: expected a JSON object");
    }
    for (String required : new String[] {"topic", "partition", "offset", "error", "dead_lettered_at"}) {
      if (!n.hasNonNull(required)) {
        throw new IllegalArgumentException("not a dead letter: " + required + " is missing");
      }
    }
    try {
      return new DeadLetter(
          bytes(n.get("key_base64")),
          bytes(n.get("value_base64")),
          n.get("topic").asText(),
          n.get("partition").asInt(),
          n.get("offset").asLong(),
          n.hasNonNull("timestamp") ? Instant.parse(n.get("timestamp").asText()) : null,
          n.get("error").asText(),
          Instant.parse(n.get("dead_lettered_at").asText()));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a dead letter: " + e.getMessage(), e);
    }
  }

  private static String base64(byte[] bytes) {
    return bytes == null ? null : Base64.getEncoder().encodeToString(bytes);
  }

  private static byte[] bytes(JsonNode n) {
    return n == null || n.isNull() ? null : Base64.getDecoder().decode(n.asText());
  }
}
