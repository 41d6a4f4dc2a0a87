package io.mailprobe.pipeline.verdict;

/**
 * The mail server's own words behind a verdict (DESIGN §2 {@code smtp}): which MX and address answered, and the last
 * reply that mattered. Any field may be null when the dialogue never got that far.
 */
public record SmtpEvidence(
    String mx, String ip, Integer code, String enhanced, String message, boolean tls) {}
