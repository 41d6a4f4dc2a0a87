package io.mailprobe.pipeline.smtp;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * How the prober talks SMTP: identity (HELO name, MAIL FROM), port, per-phase timeouts, reply bounds, STARTTLS mode,
 * egress (SOCKS5 proxy, source address), session recycling limits and the politeness gate.
 *
 * @param mailFrom the envelope sender without angle brackets; the empty string is the null sender {@code <>}
 * @param maxRejectedRcptsPerSession 5xx replies to RCPT after which the session is recycled (QUIT + reconnect),
 *     kept under Postfix's limits (slows a client after 10 errors, drops it after 20)
 * @param maxReconnects reconnects allowed per probe for session-level replies (421 or a closed connection
 *     mid-session, 452 4.5.3 on a fresh transaction); planned recycling does not count
 * @param socksProxy a SOCKS5 proxy to dial through, or null
 * @param sourceAddress the local address to bind, or null for the system's choice
 */
public record SmtpClientSettings(
    int port,
    String heloName,
    String mailFrom,
    Duration connectTimeout,
    Duration bannerTimeout,
    Duration commandTimeout,
    int maxReplyLineLength,
    int maxReplyLines,
    int maxReplyBytes,
    StartTls startTls,
    InetSocketAddress socksProxy,
    InetAddress sourceAddress,
    int maxRejectedRcptsPerSession,
    int maxReconnects,
    HostGate hostGate) {

  /** Whether STARTTLS is attempted when a server offers it. */
  public enum StartTls {
    /** Use STARTTLS whenever offered; fall back to plain text when the handshake fails. */
    OPPORTUNISTIC,
    /** Never send STARTTLS. */
    DISABLED
  }

  public SmtpClientSettings {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    SmtpArguments.requireSafeHeloName(heloName);
    SmtpArguments.requireSafeSender(mailFrom);
    requirePositive(connectTimeout, "connectTimeout");
    requirePositive(bannerTimeout, "bannerTimeout");
    requirePositive(commandTimeout, "commandTimeout");
    // RFC 5321 §4.5.3.1.5: a reply line is at most 512 octets; allow generous but bounded slack.
    requireRange(maxReplyLineLength, 512, 64 * 1024, "maxReplyLineLength");
    requireRange(maxReplyLines, 1, 10_000, "maxReplyLines");
    requireRange(maxReplyBytes, 512, 16 * 1024 * 1024, "maxReplyBytes");
    Objects.requireNonNull(startTls, "startTls");
    if (socksProxy != null && socksProxy.isUnresolved()) {
      throw new IllegalArgumentException("SOCKS5 proxy address must be resolved: " + socksProxy);
    }
    requireRange(maxRejectedRcptsPerSession, 1, 1000, "maxRejectedRcptsPerSession");
    requireRange(maxReconnects, 0, 100, "maxReconnects");
    Objects.requireNonNull(hostGate, "hostGate");
  }

  /** Defaults: port 25, HELO {@code localhost}, null sender, 10 s connect, 30 s banner, 30 s per command. */
  public static SmtpClientSettings defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this record's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.port = port;
    b.heloName = heloName;
    b.mailFrom = mailFrom;
    b.connectTimeout = connectTimeout;
    b.bannerTimeout = bannerTimeout;
    b.commandTimeout = commandTimeout;
    b.maxReplyLineLength = maxReplyLineLength;
    b.maxReplyLines = maxReplyLines;
    b.maxReplyBytes = maxReplyBytes;
    b.startTls = startTls;
    b.socksProxy = socksProxy;
    b.sourceAddress = sourceAddress;
    b.maxRejectedRcptsPerSession = maxRejectedRcptsPerSession;
    b.maxReconnects = maxReconnects;
    b.hostGate = hostGate;
    return b;
  }

  private static void requirePositive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
  }

  private static void requireRange(int value, int min, int max, String name) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "]: " + value);
    }
  }

  /** Builds {@link SmtpClientSettings}; every value starts at its documented default. */
  public static final class Builder {
    private int port = 25;
    private String heloName = "localhost";
    private String mailFrom = "";
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration bannerTimeout = Duration.ofSeconds(30);
    private Duration commandTimeout = Duration.ofSeconds(30);
    private int maxReplyLineLength = 2048;
    private int maxReplyLines = 100;
    private int maxReplyBytes = 64 * 1024;
    private StartTls startTls = StartTls.OPPORTUNISTIC;
    private InetSocketAddress socksProxy;
    private InetAddress sourceAddress;
    private int maxRejectedRcptsPerSession = 8;
    private int maxReconnects = 3;
    private HostGate hostGate = HostGate.OPEN;

    private Builder() {}

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder heloName(String heloName) {
      this.heloName = heloName;
      return this;
    }

    /** The envelope sender without brackets; {@code ""} or {@code "<>"} for the null sender. */
    public Builder mailFrom(String mailFrom) {
      this.mailFrom = "<>".equals(mailFrom) ? "" : mailFrom;
      return this;
    }

    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
      return this;
    }

    public Builder bannerTimeout(Duration bannerTimeout) {
      this.bannerTimeout = bannerTimeout;
      return this;
    }

    public Builder commandTimeout(Duration commandTimeout) {
      this.commandTimeout = commandTimeout;
      return this;
    }

    public Builder maxReplyLineLength(int maxReplyLineLength) {
      this.maxReplyLineLength = maxReplyLineLength;
      return this;
    }

    public Builder maxReplyLines(int maxReplyLines) {
      this.maxReplyLines = maxReplyLines;
      return this;
    }

    public Builder maxReplyBytes(int maxReplyBytes) {
      this.maxReplyBytes = maxReplyBytes;
      return this;
    }

    public Builder startTls(StartTls startTls) {
      this.startTls = startTls;
      return this;
    }

    public Builder socksProxy(InetSocketAddress socksProxy) {
      this.socksProxy = socksProxy;
      return this;
    }

    public Builder sourceAddress(InetAddress sourceAddress) {
      this.sourceAddress = sourceAddress;
      return this;
    }

    public Builder maxRejectedRcptsPerSession(int maxRejectedRcptsPerSession) {
      this.maxRejectedRcptsPerSession = maxRejectedRcptsPerSession;
      return this;
    }

    public Builder maxReconnects(int maxReconnects) {
      this.maxReconnects = maxReconnects;
      return this;
    }

    public Builder hostGate(HostGate hostGate) {
      this.hostGate = hostGate;
      return this;
    }

    public SmtpClientSettings build() {
      return new SmtpClientSettings(
          port,
          heloName,
          mailFrom,
          connectTimeout,
          bannerTimeout,
          commandTimeout,
          maxReplyLineLength,
          maxReplyLines,
          maxReplyBytes,
          startTls,
          socksProxy,
          sourceAddress,
          maxRejectedRcptsPerSession,
          maxReconnects,
          hostGate);
    }
  }
}
