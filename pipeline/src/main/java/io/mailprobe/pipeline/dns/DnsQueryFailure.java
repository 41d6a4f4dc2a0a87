package io.mailprobe.pipeline.dns;

import java.io.IOException;

/**
 * A query that got no usable answer from a name server (SERVFAIL, REFUSED, another error code, or silence), with a
 * message that says which server and which question, e.g. {@code SERVFAIL from 127.0.0.1:5353 for example.test MX}.
 */
final class DnsQueryFailure extends IOException {
  private static final long serialVersionUID = 1L;

  DnsQueryFailure(String detail) {
    super(detail);
  }

  @Override
  public synchronized Throwable fillInStackTrace() {
    return this; // an expected outcome, created often under load: the stack says nothing useful
  }
}
