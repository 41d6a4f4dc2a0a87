package io.mailprobe.testkit.smtp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * How one simulated mail server behaves. Defaults look like a plain Postfix: banner 220, EHLO with PIPELINING, SIZE,
 * ENHANCEDSTATUSCODES and 8BITMIME, 250 for existing mailboxes, 550 5.1.1 "User unknown in virtual mailbox table"
 * for the rest, and Postfix's hard error limit of 20.
 *
 * @param tarpit accept connections but never send a banner
 * @param closeOnConnect accept connections and close them at once
 * @param refuseConnections do not listen at all (connections are refused)
 * @param maxConcurrentSessions sessions beyond this get 421 and are closed; 0 for no cap
 * @param errorLimit after this many 4xx/5xx replies a session gets 421 4.7.0 "Error: too many errors"; 0 for none
 * @param maxRecipientsPerMessage RCPTs accepted per transaction before 452 4.5.3; 0 for no limit
 * @param recordTranscripts keep every command of every session (turn off for long benchmarks)
 */
public record HostBehaviour(
    String hostname,
    Reply banner,
    Duration bannerDelay,
    boolean garbageBanner,
    boolean tarpit,
    boolean closeOnConnect,
    boolean refuseConnections,
    List<String> extensions,
    boolean tlsRequired,
    Set<String> mailboxes,
    boolean catchAll,
    List<CommandRule> rules,
    Duration replyLatency,
    int maxConcurrentSessions,
    int errorLimit,
    int maxRecipientsPerMessage,
    boolean recordTranscripts) {

  public HostBehaviour {
    Objects.requireNonNull(hostname);
    Objects.requireNonNull(banner);
    Objects.requireNonNull(bannerDelay);
    extensions = List.copyOf(extensions);
    mailboxes = Set.copyOf(mailboxes);
    rules = List.copyOf(rules);
    Objects.requireNonNull(replyLatency);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A Postfix-like host that knows the given mailboxes. */
  public static HostBehaviour withMailboxes(String... mailboxes) {
    return builder().mailboxes(mailboxes).build();
  }

  boolean offers(String keyword) {
    for (String e : extensions) {
      if (e.toUpperCase(Locale.ROOT).split(" ", 2)[0].equals(keyword)) {
        return true;
      }
    }
    return false;
  }

  boolean knows(String mailbox) {
    return catchAll || mailboxes.contains(mailbox.toLowerCase(Locale.ROOT));
  }

  /** Builds a {@link HostBehaviour}. */
  public static final class Builder {
    private String hostname = "mx.simulated.test";
    private Reply banner;
    private Duration bannerDelay = Duration.ZERO;
    private boolean garbageBanner;
    private boolean tarpit;
    private boolean closeOnConnect;
    private boolean refuseConnections;
    private final List<String> extensions =
        new ArrayList<>(List.of("PIPELINING", "SIZE 10240000", "ENHANCEDSTATUSCODES", "8BITMIME"));
    private boolean tlsRequired;
    private final Set<String> mailboxes = new LinkedHashSet<>();
    private boolean catchAll;
    private final List<CommandRule> rules = new ArrayList<>();
    private Duration replyLatency = Duration.ZERO;
    private int maxConcurrentSessions;
    private int errorLimit = 20;
    private int maxRecipientsPerMessage;
    private boolean recordTranscripts = true;

    private Builder() {}

    public Builder hostname(String hostname) {
      this.hostname = hostname;
      return this;
    }

    public Builder banner(int code, String... lines) {
      this.banner = Reply.of(code, lines);
      return this;
    }

    public Builder bannerDelay(Duration bannerDelay) {
      this.bannerDelay = bannerDelay;
      return this;
    }

    public Builder garbageBanner() {
      this.garbageBanner = true;
      return this;
    }

    /** Never send a banner. */
    public Builder tarpit() {
      this.tarpit = true;
      return this;
    }

    public Builder closeOnConnect() {
      this.closeOnConnect = true;
      return this;
    }

    public Builder refuseConnections() {
      this.refuseConnections = true;
      return this;
    }

    /** Adds EHLO keywords, e.g. {@code "STARTTLS"}, {@code "SMTPUTF8"}. */
    public Builder offer(String... keywords) {
      extensions.addAll(List.of(keywords));
      return this;
    }

    /** Replaces the advertised EHLO keywords. */
    public Builder extensions(String... keywords) {
      extensions.clear();
      extensions.addAll(List.of(keywords));
      return this;
    }

    /** Offer STARTTLS and answer MAIL FROM with 530 5.7.0 until TLS is on. */
    public Builder tlsRequired() {
      this.tlsRequired = true;
      return this;
    }

    public Builder mailboxes(String... mailboxes) {
      for (String m : mailboxes) {
        this.mailboxes.add(m.toLowerCase(Locale.ROOT));
      }
      return this;
    }

    public Builder catchAll() {
      this.catchAll = true;
      return this;
    }

    public Builder rule(CommandRule rule) {
      rules.add(rule);
      return this;
    }

    /** Close the connection, without a reply, the {@code times} next times {@code verb} is received. */
    public Builder dropAfter(String verb, int times) {
      rules.add(CommandRule.when(verb).thenClose().times(times));
      return this;
    }

    public Builder replyLatency(Duration replyLatency) {
      this.replyLatency = replyLatency;
      return this;
    }

    public Builder maxConcurrentSessions(int maxConcurrentSessions) {
      this.maxConcurrentSessions = maxConcurrentSessions;
      return this;
    }

    public Builder errorLimit(int errorLimit) {
      this.errorLimit = errorLimit;
      return this;
    }

    public Builder maxRecipientsPerMessage(int maxRecipientsPerMessage) {
      this.maxRecipientsPerMessage = maxRecipientsPerMessage;
      return this;
    }

    public Builder recordTranscripts(boolean recordTranscripts) {
      this.recordTranscripts = recordTranscripts;
      return this;
    }

    public HostBehaviour build() {
      Reply b = banner != null ? banner : Reply.of(220, hostname + " ESMTP Postfix (simulated)");
      return new HostBehaviour(hostname, b, bannerDelay, garbageBanner, tarpit, closeOnConnect, refuseConnections,
          extensions, tlsRequired, mailboxes, catchAll, rules, replyLatency, maxConcurrentSessions, errorLimit,
          maxRecipientsPerMessage, recordTranscripts);
    }
  }
}
