package io.mailprobe.pipeline.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailprobe.pipeline.address.AddressParser;
import io.mailprobe.pipeline.address.ParsedAddress;
import io.mailprobe.pipeline.dns.MxHost;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.smtp.DefaultSmtpRequest;
import io.netty.handler.codec.smtp.SmtpCommand;
import io.netty.handler.codec.smtp.SmtpRequestEncoder;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Property-based (jqwik): whatever string comes in, nothing that reaches the wire carries CR, LF, NUL or an
 * unbalanced angle bracket. Driven through the three guards: {@link SmtpArguments} (mailbox, sender, HELO name),
 * {@link ProbeRequest} (which refuses unsafe recipients before any connection) and {@link OutboundLineGuard} (the
 * bytes after the encoder); and every address the parser calls valid is one the wire guards accept.
 */
class WireSafetyProperties {

  /** Strings made mostly of the characters that matter: controls, brackets, quotes, @, dots, non-ASCII. */
  @Provide
  Arbitrary<String> hostile() {
    Arbitrary<Character> dangerous =
        Arbitraries.of('\r', '\n', '\u0000', '<', '>', '"', '\\', '@', '.', ' ', '\t', '\u0085', '\u2028', '[', ']',
            ':', '\u00e9', '\u0430', '\ud83d', '\ude00', '\u007f');
    Arbitrary<Character> plain = Arbitraries.chars().alpha().numeric().with('-', '_', '+');
    Arbitrary<String> mixed =
        Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, dangerous), net.jqwik.api.Tuple.of(5, plain),
                net.jqwik.api.Tuple.of(1, Arbitraries.chars()))
            .list().ofMaxSize(80)
            .map(cs -> {
              StringBuilder b = new StringBuilder();
              cs.forEach(b::append);
              return b.toString();
            });
    // Shapes that get past the first checks: local@domain, quoted local parts, bracketed domains.
    return Arbitraries.oneOf(
        mixed,
        net.jqwik.api.Combinators.combine(mixed, mixed).as((l, d) -> l + "@" + d),
        net.jqwik.api.Combinators.combine(mixed, mixed).as((l, d) -> "\"" + l + "\"@" + d + ".test"),
        mixed.map(l -> l + "@example.com"),
        mixed.map(l -> "\"" + l + "\"@example.com"),
        mixed.map(d -> "user@[" + d + "]"));
  }

  @Property
  void aMailboxTheGuardAcceptsMakesOneSafeRcptLine(@ForAll("hostile") String mailbox) {
    String accepted;
    try {
      accepted = SmtpArguments.requireSafeMailbox(mailbox);
    } catch (IllegalArgumentException refused) {
      return; // refused before any connection
    }
    assertSafeLine("RCPT TO:<" + accepted + ">");
  }

  @Property
  void aSenderOrHeloNameTheGuardAcceptsIsSafe(@ForAll("hostile") String value) {
    try {
      assertSafeLine("MAIL FROM:<" + SmtpArguments.requireSafeSender(value) + ">");
    } catch (IllegalArgumentException refused) {
      // refused
    }
    try {
      assertSafeLine("EHLO " + SmtpArguments.requireSafeHeloName(value));
    } catch (IllegalArgumentException refused) {
      // refused
    }
  }

  @Property(tries = 300)
  void aProbeRequestNeverHoldsAnUnsafeRecipient(@ForAll("hostile") String recipient) throws Exception {
    MxHost mx = new MxHost("mx.example.com", 10, List.of(InetAddress.getLoopbackAddress()), false);
    try {
      ProbeRequest r = new ProbeRequest("example.com", List.of(mx), List.of(recipient), null, 50);
      assertSafeLine("RCPT TO:<" + r.recipients().get(0) + ">");
    } catch (IllegalArgumentException refused) {
      // refused before any connection
    }
  }

  @Property
  void everyAddressTheParserCallsValidPassesTheWireGuard(@ForAll("hostile") String input) {
    if (AddressParser.parse(input) instanceof ParsedAddress.Valid valid) {
      String normalized = valid.address().normalized();
      assertThat(SmtpArguments.requireSafeMailbox(normalized)).isEqualTo(normalized);
      assertSafeLine("RCPT TO:<" + normalized + ">");
    }
  }

  @Property(tries = 500)
  void theOutboundGuardLetsOnlyOneSafeLineThrough(@ForAll("hostile") String argument) {
    // Encoded by Netty's encoder as the prober does, then the guard: either refused, or one safe line on the wire.
    EmbeddedChannel channel = new EmbeddedChannel(new OutboundLineGuard(), new SmtpRequestEncoder());
    try {
      channel.writeOutbound(new DefaultSmtpRequest(SmtpCommand.RCPT, "TO:" + argument));
      ByteBuf out = channel.readOutbound();
      String wire = out.toString(StandardCharsets.UTF_8);
      out.release();
      assertThat(wire).endsWith("\r\n");
      assertThat(wire.substring(0, wire.length() - 2)).doesNotContain("\r").doesNotContain("\n").doesNotContain("\u0000");
    } catch (IllegalArgumentException refused) {
      // refused: nothing was written
    } finally {
      channel.finishAndReleaseAll();
    }
  }

  @Property(tries = 500)
  void theOutboundGuardRefusesRawBytesWithInjectedLines(@ForAll("hostile") String raw) {
    byte[] bytes = (raw + "\r\n").getBytes(StandardCharsets.UTF_8);
    ByteBuf buf = Unpooled.wrappedBuffer(bytes);
    String refusal = OutboundLineGuard.refusal(buf);
    if (refusal == null) {
      // The line guard is about line structure; brackets are the argument guards' (the properties above).
      assertThat(new String(bytes, 0, bytes.length - 2, StandardCharsets.UTF_8))
          .doesNotContain("\r").doesNotContain("\n").doesNotContain("\u0000");
    }
    buf.release();
  }

  /**
   * One command line: no CR, LF or NUL, and angle brackets that balance and never nest, counted everywhere (also
   * inside a quoted local part: DESIGN §4 refuses them on the wire, and a filter in front of a server may not know
   * quoting).
   */
  static void assertSafeLine(String line) {
    assertThat(line).doesNotContain("\r").doesNotContain("\n").doesNotContain("\u0000");
    int depth = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '<') {
        depth++;
        assertThat(depth).as("nested '<' in %s", line).isLessThanOrEqualTo(1);
      } else if (c == '>') {
        depth--;
        assertThat(depth).as("'>' without '<' in %s", line).isGreaterThanOrEqualTo(0);
      }
    }
    assertThat(depth).as("unbalanced brackets in %s", line).isZero();
  }
}
