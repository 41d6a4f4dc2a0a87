package io.mailprobe.testkit.smtp;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A scripted answer to a command: when the verb matches and the argument matches a regex (searched, case-insensitive),
 * send a reply (or garbage, or nothing), optionally after a delay, optionally closing the connection afterwards; for a
 * bounded number of times across the host's sessions, then fall through to the next rule or the default behaviour.
 */
public final class CommandRule {

  private final String verb;
  private final Pattern argument;
  private Reply reply;
  private boolean garbage;
  private boolean close;
  private Duration latency = Duration.ZERO;
  private Duration drip;
  private boolean endless;
  private boolean reset;
  private boolean stall;
  private final AtomicInteger remaining = new AtomicInteger(Integer.MAX_VALUE);

  private CommandRule(String verb, String argumentRegex) {
    this.verb = verb.toUpperCase(Locale.ROOT);
    this.argument = Pattern.compile(argumentRegex, Pattern.CASE_INSENSITIVE);
  }

  /** A rule for {@code verb} ({@code "*"} for any) whose argument contains a match of {@code argumentRegex}. */
  public static CommandRule when(String verb, String argumentRegex) {
    return new CommandRule(Objects.requireNonNull(verb), Objects.requireNonNull(argumentRegex));
  }

  /** A rule for every use of {@code verb}. */
  public static CommandRule when(String verb) {
    return when(verb, "");
  }

  public CommandRule reply(int code, String... lines) {
    this.reply = Reply.of(code, lines);
    return this;
  }

  /** Answer with bytes that are not SMTP. */
  public CommandRule garbage() {
    this.garbage = true;
    return this;
  }

  /** Close the connection after the reply (or without any reply when none is set). */
  public CommandRule thenClose() {
    this.close = true;
    return this;
  }

  public CommandRule latency(Duration latency) {
    this.latency = Objects.requireNonNull(latency);
    return this;
  }

  /** Send the reply one byte every {@code perByte} (a slow-drip server; each byte alone is harmless). */
  public CommandRule drip(Duration perByte) {
    this.drip = Objects.requireNonNull(perByte);
    return this;
  }

  /**
   * Answer with a multi-line reply that never ends: continuation lines ({@code code-text}) of the reply's code and
   * first line, sent as fast as the client reads them, until the connection closes.
   */
  public CommandRule endless() {
    this.endless = true;
    return this;
  }

  /** Send the first half of the reply, then reset the connection (TCP RST) in the middle of it. */
  public CommandRule resetMidReply() {
    this.reset = true;
    return this;
  }

  /**
   * After the reply, read and ignore everything and never answer again (e.g. a 220 to STARTTLS, then no TLS
   * handshake: the client's ClientHello goes unanswered).
   */
  public CommandRule thenStall() {
    this.stall = true;
    return this;
  }

  /** Apply this rule at most {@code times} times over all sessions of the host. */
  public CommandRule times(int times) {
    remaining.set(times);
    return this;
  }

  /** Takes one use of the rule when it matches; false when it does not match or is used up. */
  boolean take(String commandVerb, String commandArgument) {
    if (!verb.equals("*") && !verb.equals(commandVerb)) {
      return false;
    }
    if (!argument.matcher(commandArgument).find()) {
      return false;
    }
    return remaining.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
  }

  Reply reply() {
    return reply;
  }

  boolean sendsGarbage() {
    return garbage;
  }

  boolean closes() {
    return close;
  }

  Duration latency() {
    return latency;
  }

  Duration drip() {
    return drip;
  }

  boolean isEndless() {
    return endless;
  }

  boolean resets() {
    return reset;
  }

  boolean stalls() {
    return stall;
  }
}
