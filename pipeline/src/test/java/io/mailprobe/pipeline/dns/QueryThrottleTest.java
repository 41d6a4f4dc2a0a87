package io.mailprobe.pipeline.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;

class QueryThrottleTest {

  /** A resolver whose queries stay open until the test answers them. */
  private static final class HeldQueries implements Resolver {
    final ConcurrentLinkedQueue<CompletableFuture<Message>> open = new ConcurrentLinkedQueue<>();
    final List<Integer> sentTypes = new ArrayList<>();

    @Override
    public CompletionStage<Message> sendAsync(Message query, Executor executor) {
      CompletableFuture<Message> reply = new CompletableFuture<>();
      sentTypes.add(query.getQuestion().getType());
      open.add(reply);
      return reply;
    }

    void answerOne() {
      open.poll().complete(new Message());
    }

    @Override
    public void setPort(int port) {}

    @Override
    public void setTCP(boolean flag) {}

    @Override
    public void setIgnoreTruncation(boolean flag) {}

    @Override
    public void setEDNS(int version, int payloadSize, int flags, List<EDNSOption> options) {}

    @Override
    public void setTSIGKey(TSIG key) {}

    @Override
    public void setTimeout(Duration timeout) {}
  }

  @Test
  void neverHasMoreThanTheLimitOutAndSendsTheRestAsAnswersComeBack() throws Exception {
    HeldQueries server = new HeldQueries();
    QueryThrottle throttle = new QueryThrottle(server, 3);
    Message query = Message.newQuery(Record.newRecord(Name.fromString("example.test."), Type.MX, DClass.IN));

    List<CompletableFuture<Message>> replies = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      replies.add(throttle.sendAsync(query, Runnable::run).toCompletableFuture());
    }

    assertThat(server.open).hasSize(3);
    for (int answered = 1; answered <= 10; answered++) {
      server.answerOne();
      assertThat(server.open.size()).isLessThanOrEqualTo(3);
      assertThat(throttle.inFlight()).isLessThanOrEqualTo(3);
    }
    assertThat(replies).allMatch(CompletableFuture::isDone);
    assertThat(throttle.inFlight()).isZero();
  }

  @Test
  void waitingAddressQueriesGoOutBeforeWaitingMxQueries() throws Exception {
    HeldQueries server = new HeldQueries();
    QueryThrottle throttle = new QueryThrottle(server, 1);
    Message mx = Message.newQuery(Record.newRecord(Name.fromString("example.test."), Type.MX, DClass.IN));
    Message a = Message.newQuery(Record.newRecord(Name.fromString("mx.example.test."), Type.A, DClass.IN));
    Message aaaa = Message.newQuery(Record.newRecord(Name.fromString("mx.example.test."), Type.AAAA, DClass.IN));

    List<CompletableFuture<Message>> replies = new ArrayList<>();
    for (Message q : List.of(mx, mx, mx, a, aaaa)) {
      replies.add(throttle.sendAsync(q, Runnable::run).toCompletableFuture());
    }
    for (int i = 0; i < 5; i++) {
      server.answerOne();
    }

    assertThat(server.sentTypes).containsExactly(Type.MX, Type.A, Type.AAAA, Type.MX, Type.MX);
    assertThat(replies).allMatch(CompletableFuture::isDone);
  }
}
