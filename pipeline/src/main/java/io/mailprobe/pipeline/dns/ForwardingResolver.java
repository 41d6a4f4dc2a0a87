package io.mailprobe.pipeline.dns;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ForkJoinPool;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.TSIG;

/** A resolver that adds behaviour to queries and passes every setting on to the resolver it wraps. */
abstract class ForwardingResolver implements Resolver {

  private final Resolver delegate;

  ForwardingResolver(Resolver delegate) {
    this.delegate = delegate;
  }

  final Resolver delegate() {
    return delegate;
  }

  @Override
  public CompletionStage<Message> sendAsync(Message query) {
    return sendAsync(query, ForkJoinPool.commonPool());
  }

  @Override
  public void setPort(int port) {
    delegate.setPort(port);
  }

  @Override
  public void setTCP(boolean flag) {
    delegate.setTCP(flag);
  }

  @Override
  public void setIgnoreTruncation(boolean flag) {
    delegate.setIgnoreTruncation(flag);
  }

  @Override
  public void setEDNS(int version, int payloadSize, int flags, List<EDNSOption> options) {
    delegate.setEDNS(version, payloadSize, flags, options);
  }

  @Override
  public void setTSIGKey(TSIG key) {
    delegate.setTSIGKey(key);
  }

  @Override
  public void setTimeout(Duration timeout) {
    delegate.setTimeout(timeout);
  }

  @Override
  public Duration getTimeout() {
    return delegate.getTimeout();
  }
}
