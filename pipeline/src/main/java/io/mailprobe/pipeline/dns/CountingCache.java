package io.mailprobe.pipeline.dns;

import java.util.concurrent.atomic.LongAdder;
import org.xbill.DNS.Cache;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.SetResponse;

/**
 * dnsjava's TTL-respecting answer cache, counting the lookups it answered (positively or negatively) so that the
 * hit rate can be reported as a metric.
 */
final class CountingCache extends Cache {
  private final LongAdder hits = new LongAdder();

  CountingCache() {
    super(DClass.IN);
  }

  @Override
  public SetResponse lookupRecords(Name name, int type, int minCred) {
    SetResponse response = super.lookupRecords(name, type, minCred);
    // Unknown and delegation mean "ask the network": everything else is an answer from memory.
    if (!response.isUnknown() && !response.isDelegation()) {
      hits.increment();
    }
    return response;
  }

  long hits() {
    return hits.sum();
  }
}
