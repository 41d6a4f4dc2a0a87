package io.mailprobe.pipeline.verify;

/** An address waiting for its mail server's answer, and where it stands in its retries. */
public record Pending(CheckedAddress address, Attempt attempt) {}
