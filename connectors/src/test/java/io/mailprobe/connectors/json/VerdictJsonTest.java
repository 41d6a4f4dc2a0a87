package io.mailprobe.connectors.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailprobe.pipeline.verdict.Flags;
import io.mailprobe.pipeline.verdict.Reason;
import io.mailprobe.pipeline.verdict.SmtpEvidence;
import io.mailprobe.pipeline.verdict.Status;
import io.mailprobe.pipeline.verdict.Verdict;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class VerdictJsonTest {

  private static final Verdict NOT_FOUND =
      new Verdict(
          "Jane.Doe@Example.COM",
          "Jane.Doe@example.com",
          Status.UNDELIVERABLE,
          Reason.MAILBOX_NOT_FOUND,
          Flags.NONE.withRole(true).withFreeProvider(true),
          null,
          "google",
          new SmtpEvidence(
              "mx1.example.com", "192.0.2.10", 550, "5.1.1", "5.1.1 <jane.doe@example.com>: User unknown", true),
          null,
          2,
          null,
          Instant.parse("2026-11-28T10:00:01.234Z"),
          412);

  @Test
  void roundTripKeepsEveryField() {
    VerdictJson.EventVerdict back = VerdictJson.read(VerdictJson.write("e-123", NOT_FOUND));
    assertThat(back).isEqualTo(new VerdictJson.EventVerdict("e-123", NOT_FOUND));
  }

  @Test
  void roundTripWithoutSmtpAndWithRetry() {
    Verdict greylisted =
        new Verdict(
            "a@b.example",
            "a@b.example",
            Status.UNKNOWN,
            Reason.GREYLISTED,
            Flags.NONE.withGreylisted(true),
            "b.example",
            null,
            null,
            "try again later",
            1,
            Instant.parse("2026-11-28T10:05:00Z"),
            Instant.parse("2026-11-28T10:00:00Z"),
            0);
    assertThat(VerdictJson.read(VerdictJson.write(null, greylisted)))
        .isEqualTo(new VerdictJson.EventVerdict(null, greylisted));
  }

  @Test
  void writesTheDocumentedNames() throws Exception {
    JsonNode n = new ObjectMapper().readTree(VerdictJson.write("e-123", NOT_FOUND));
    assertThat(n.get("status").asText()).isEqualTo("undeliverable");
    assertThat(n.get("reason").asText()).isEqualTo("mailbox_not_found");
    assertThat(n.get("flags").get("free_provider").asBoolean()).isTrue();
    assertThat(n.get("smtp").get("code").asInt()).isEqualTo(550);
    assertThat(n.get("checked_at").asText()).isEqualTo("2026-11-28T10:00:01.234Z");
  }

  @Test
  void theKeyIsTheNormalizedAddressElseTheInput() {
    assertThat(new String(VerdictJson.key(NOT_FOUND), StandardCharsets.UTF_8)).isEqualTo("Jane.Doe@example.com");
    Verdict badSyntax =
        new Verdict(
            "not an address", null, Status.UNDELIVERABLE, Reason.INVALID_SYNTAX, Flags.NONE, null, null, null,
            "no @", 1, null, Instant.parse("2026-11-28T10:00:00Z"), 0);
    assertThat(new String(VerdictJson.key(badSyntax), StandardCharsets.UTF_8)).isEqualTo("not an address");
  }
}
