package io.mailprobe.bench.jmh;

import io.mailprobe.connectors.json.SignupEventJson;
import io.mailprobe.connectors.json.VerdictJson;
import io.mailprobe.pipeline.address.AddressParser;
import io.mailprobe.pipeline.classify.ReplyClassifier;
import io.mailprobe.pipeline.smtp.SmtpReply;
import io.mailprobe.pipeline.verdict.Verdict;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The pure hot paths of one address's way through the job (issue 5): parsing the signup event, parsing the address,
 * classifying the RCPT reply, writing the verdict. Run with {@code scripts/bench --jmh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HotPaths {

  private static final String VERDICT_JSON =
      "{\"event_id\":\"e-1\",\"email\":\"Jane.Doe@Example.COM\",\"address\":\"Jane.Doe@example.com\","
          + "\"status\":\"undeliverable\",\"reason\":\"mailbox_not_found\",\"flags\":{\"role\":false,"
          + "\"disposable\":false,\"free_provider\":false,\"catch_all\":false,\"greylisted\":false,\"full\":false,"
          + "\"disabled\":false},\"suggestion\":null,\"provider\":null,\"smtp\":{\"mx\":\"mx1.example.com\","
          + "\"ip\":\"192.0.2.10\",\"code\":550,\"enhanced\":\"5.1.1\",\"message\":\"5.1.1 <Jane.Doe@example.com>: "
          + "Recipient address rejected: User unknown\",\"tls\":true},\"detail\":null,\"attempts\":1,"
          + "\"retry_after\":null,\"checked_at\":\"2026-11-28T10:00:01.234Z\",\"duration_ms\":412}";

  private final byte[] event =
      "{\"event_id\":\"e-123\",\"email\":\"Jane.Doe@Example.COM\",\"ts\":\"2026-11-28T10:00:00Z\",\"plan\":\"pro\"}"
          .getBytes(StandardCharsets.UTF_8);
  private final SignupEventJson events = new SignupEventJson(SignupEventJson.DEFAULT_MAX_EVENT_BYTES);
  private final SmtpReply unknownUser =
      SmtpReply.of(550, "5.1.1 <jane.doe@example.com>: Recipient address rejected: User unknown in virtual mailbox table");
  private final SmtpReply accepted = SmtpReply.of(250, "2.1.5 Ok");
  private final SmtpReply greylisted =
      SmtpReply.of(450, "4.7.1 <jane.doe@example.com>: Recipient address rejected: Greylisted, see http://postgrey/");
  private final Verdict verdict = VerdictJson.read(VERDICT_JSON.getBytes(StandardCharsets.UTF_8)).verdict();

  @Benchmark
  public Object parseAddress() {
    return AddressParser.parse("Jane.Doe@Example.COM");
  }

  @Benchmark
  public Object parseAddressIdn() {
    return AddressParser.parse("jörg.müller@bücher.example");
  }

  @Benchmark
  public Object classifyRcptAccepted() {
    return ReplyClassifier.rcpt(accepted);
  }

  @Benchmark
  public Object classifyRcptUnknownUser() {
    return ReplyClassifier.rcpt(unknownUser);
  }

  @Benchmark
  public Object classifyRcptGreylisted() {
    return ReplyClassifier.rcpt(greylisted);
  }

  @Benchmark
  public Object readSignupEvent() {
    return events.read(event, "signups", 0, 42L);
  }

  @Benchmark
  public byte[] writeVerdict() {
    return VerdictJson.write("e-123", verdict);
  }
}
