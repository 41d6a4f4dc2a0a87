package io.mailprobe.pipeline.smtp;

/** The mail exchanger a session talked to: its MX name, the address dialled, and whether TLS was on. */
public record HostContact(String mx, String ip, boolean tls) {}
