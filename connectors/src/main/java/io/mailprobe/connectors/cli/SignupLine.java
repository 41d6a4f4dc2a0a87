package io.mailprobe.connectors.cli;

import io.mailprobe.connectors.json.SignupEventJson;
import io.mailprobe.connectors.signup.SignupEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * One line of {@code scripts/produce}'s input as a signup record value: a line that starts with {@code {} is a JSON
 * event and goes out byte for byte (an invalid one too: the job dead-letters it, which is how people try the dead
 * letters); any other line is a bare address, wrapped as {@code {"event_id": id, "email": line, "ts": now}}.
 */
public final class SignupLine {

  private SignupLine() {}

  /** True when the line holds nothing to send: empty or only spaces and tabs. */
  public static boolean isBlank(byte[] line) {
    for (byte b : line) {
      if (b != ' ' && b != '\t') {
        return false;
      }
    }
    return true;
  }

  /** True when the line is meant as a JSON event: its first byte that is not a space or tab is {@code {}. */
  public static boolean isJson(byte[] line) {
    for (byte b : line) {
      if (b != ' ' && b != '\t') {
        return b == '{';
      }
    }
    return false;
  }

  /**
   * The record value for {@code line} (without its line ending): the line itself when it is JSON, else an event
   * wrapping the address exactly as written, with {@code eventId} and {@code now}.
   */
  public static byte[] value(byte[] line, String eventId, Instant now) {
    if (isJson(line)) {
      return line;
    }
    String email = new String(line, StandardCharsets.UTF_8);
    return SignupEventJson.write(new SignupEvent(eventId, email, now, "{}", "", -1, -1));
  }
}
