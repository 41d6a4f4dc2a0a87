package io.mailprobe.pipeline.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.smtp.SmtpCommand;
import io.netty.handler.codec.smtp.SmtpRequest;
import io.netty.handler.codec.smtp.SmtpRequestEncoder;
import io.netty.handler.codec.smtp.SmtpRequests;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SmtpArgumentsTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "alice@example.com\r\nDATA",
      "alice@example.com\nRCPT TO:<x@y>",
      "ali\u0000ce@example.com",
      "ali\tce@example.com",
      "<alice>@example.com",
      "alice@example.com>",
      "alice@exa<mple.com",
      "al ice@example.com",
      "alice",
      "@example.com",
      "alice@",
      "alice@exämple.com",
      "\"unterminated\\\"@example.com"})
  void refusesAddressesThatCouldBreakTheCommandLine(String address) {
    assertThatIllegalArgumentException().isThrownBy(() -> SmtpArguments.requireSafeMailbox(address));
  }

  @Test
  void refusesOverLongParts() {
    String local65 = "a".repeat(65);
    assertThatIllegalArgumentException().isThrownBy(() -> SmtpArguments.requireSafeMailbox(local65 + "@example.com"))
        .withMessageContaining("local part");
    String longDomain = ("d".repeat(60) + ".").repeat(5) + "com";
    assertThatIllegalArgumentException().isThrownBy(() -> SmtpArguments.requireSafeMailbox("a@" + longDomain))
        .withMessageContaining("domain");
    String pathTooLong = "a".repeat(64) + "@" + ("d".repeat(60) + ".").repeat(3) + "d".repeat(10) + ".com";
    assertThatIllegalArgumentException().isThrownBy(() -> SmtpArguments.requireSafeMailbox(pathTooLong))
        .withMessageContaining("path");
  }

  @Test
  void acceptsOrdinaryQuotedAndInternationalizedAddresses() {
    assertThat(SmtpArguments.requireSafeMailbox("jane.doe+tag@example.com")).isEqualTo("jane.doe+tag@example.com");
    assertThat(SmtpArguments.requireSafeMailbox("\"john doe\"@example.com")).isNotNull();
    // DESIGN §4: '<' and '>' never reach the wire, not even inside quotes.
    assertThatIllegalArgumentException()
        .isThrownBy(() -> SmtpArguments.requireSafeMailbox("\"john <doe>\"@example.com"));
    assertThat(SmtpArguments.requireSafeMailbox("jösé@example.com")).isNotNull();
    assertThat(SmtpArguments.needsSmtpUtf8("jösé@example.com")).isTrue();
    assertThat(SmtpArguments.needsSmtpUtf8("jose@example.com")).isFalse();
    assertThat(SmtpArguments.requireSafeMailbox("postmaster@[192.0.2.1]")).isNotNull();
  }

  @Test
  void probeRequestRefusesAnInjectedRecipientBeforeAnyConnection() {
    var mx = SmtpProberTest.mx("mx1.example.com", "127.0.0.2");
    assertThatIllegalArgumentException().isThrownBy(() -> new ProbeRequest("example.com", List.of(mx),
        List.of("alice@example.com\r\nDATA\r\nSubject: spam"), null, 50));
    assertThatIllegalArgumentException().isThrownBy(() -> new ProbeRequest("example.com", List.of(mx),
        List.of("alice@example.com"), "probe>@example.com", 50));
  }

  @Test
  void settingsRefuseUnsafeIdentity() {
    assertThatIllegalArgumentException().isThrownBy(
        () -> SmtpClientSettings.builder().heloName("probe.example\r\nMAIL FROM:<x@y>").build());
    assertThatIllegalArgumentException().isThrownBy(
        () -> SmtpClientSettings.builder().mailFrom("verify@example.com\nRSET").build());
    assertThatIllegalArgumentException().isThrownBy(() -> SmtpClientSettings.builder().maxReconnects(-1).build());
    SmtpClientSettings defaults = SmtpClientSettings.defaults();
    assertThat(defaults.port()).isEqualTo(25);
    assertThat(defaults.mailFrom()).isEmpty();
    assertThat(defaults.maxRejectedRcptsPerSession()).isEqualTo(8);
    assertThat(defaults.startTls()).isEqualTo(SmtpClientSettings.StartTls.OPPORTUNISTIC);
    assertThat(SmtpClientSettings.builder().mailFrom("<>").build().mailFrom()).isEmpty();
  }

  @Test
  void outboundGuardLetsOneCommandLineThrough() {
    EmbeddedChannel ch = new EmbeddedChannel(new OutboundLineGuard(), new SmtpRequestEncoder());
    assertThat(ch.writeOutbound(SmtpRequests.rcpt("alice@example.com"))).isTrue();
    ByteBuf out = ch.readOutbound();
    assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("RCPT TO:<alice@example.com>\r\n");
    out.release();
    ch.finishAndReleaseAll();
  }

  @Test
  void outboundGuardRefusesASmuggledSecondCommandAndData() {
    EmbeddedChannel ch = new EmbeddedChannel(new OutboundLineGuard(), new SmtpRequestEncoder());
    // A request that bypasses Netty's own parameter check, as a bug upstream might.
    SmtpRequest smuggled = new SmtpRequest() {
      @Override
      public SmtpCommand command() {
        return SmtpCommand.RCPT;
      }

      @Override
      public List<CharSequence> parameters() {
        return List.of("TO:<alice@example.com>\r\nDATA");
      }
    };
    ChannelFuture write = ch.writeOneOutbound(smuggled);
    ch.flushOutbound();
    assertThat(write.isSuccess()).isFalse();
    assertThat(write.cause()).hasMessageContaining("bare CR");

    ChannelFuture data = ch.writeOneOutbound(Unpooled.copiedBuffer("DATA\r\n", StandardCharsets.US_ASCII));
    ch.flushOutbound();
    assertThat(data.cause()).hasMessageContaining("never");
    assertThat((Object) ch.readOutbound()).isNull();
    ch.finishAndReleaseAll();
  }

  @Test
  void connectionRefusesToSendData() {
    SmtpConnection conn = new SmtpConnection(SmtpClientSettings.defaults());
    assertThatThrownBy(() -> conn.send(SmtpRequests.data(), SmtpPhase.RCPT_TO, java.time.Duration.ofSeconds(1)))
        .isInstanceOf(IllegalStateException.class);
  }
}
