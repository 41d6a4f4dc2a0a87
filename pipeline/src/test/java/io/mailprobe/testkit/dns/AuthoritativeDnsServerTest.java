package io.mailprobe.testkit.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** The fixture speaks real DNS: asked with dnsjava's plain client over UDP and TCP. */
class AuthoritativeDnsServerTest {
  private AuthoritativeDnsServer dns;

  @BeforeEach
  void start() {
    dns = new AuthoritativeDnsServer().start();
  }

  @AfterEach
  void stop() {
    dns.close();
  }

  private Message ask(String name, int type, boolean tcp) throws Exception {
    SimpleResolver client = new SimpleResolver(dns.socketAddress());
    client.setTCP(tcp);
    client.setTimeout(Duration.ofSeconds(2));
    return client.send(Message.newQuery(Record.newRecord(Name.fromString(name + "."), type, DClass.IN)));
  }

  @Test
  void answersAuthoritativelyOverUdpAndTcp() throws Exception {
    dns.mx("example.test", 10, "mx.example.test");

    for (boolean tcp : new boolean[] {false, true}) {
      Message reply = ask("example.test", Type.MX, tcp);
      assertThat(reply.getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(reply.getHeader().getFlag(Flags.AA)).isTrue();
      assertThat(reply.getSection(Section.ANSWER))
          .singleElement()
          .satisfies(r -> assertThat(((MXRecord) r).getTarget()).isEqualTo(Name.fromString("mx.example.test.")));
    }
    assertThat(dns.queryCount("example.test", "MX")).isEqualTo(2);
    assertThat(dns.address()).isEqualTo(InetAddress.getLoopbackAddress());
  }

  @Test
  void unknownNameIsNxdomainAndKnownNameWithoutTheTypeIsNodata() throws Exception {
    dns.negativeTtl(42).a("host.example.test", "127.0.0.5");

    Message nx = ask("missing.example.test", Type.A, false);
    Message nodata = ask("host.example.test", Type.MX, false);
    Message emptyNonTerminal = ask("example.test", Type.A, false);

    assertThat(nx.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(nx.getSection(Section.AUTHORITY))
        .singleElement()
        .satisfies(r -> assertThat(((SOARecord) r).getMinimum()).isEqualTo(42));
    assertThat(nodata.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(nodata.getSection(Section.ANSWER)).isEmpty();
    assertThat(nodata.getSection(Section.AUTHORITY)).singleElement().isInstanceOf(SOARecord.class);
    assertThat(emptyNonTerminal.getRcode()).as("a parent of an owner exists").isEqualTo(Rcode.NOERROR);
  }

  @Test
  void followsCnamesInsideTheZone() throws Exception {
    dns.cname("www.example.test", "web.example.test").a("web.example.test", "127.0.0.6");

    Message reply = ask("www.example.test", Type.A, false);

    assertThat(reply.getSection(Section.ANSWER)).extracting(Record::getType).containsExactly(Type.CNAME, Type.A);
  }

  @Test
  void servfailAndSilentNames() throws Exception {
    dns.servfail("broken.test").silent("hole.test");

    assertThat(ask("broken.test", Type.MX, false).getRcode()).isEqualTo(Rcode.SERVFAIL);
    SimpleResolver impatient = new SimpleResolver(dns.socketAddress());
    impatient.setTimeout(Duration.ofMillis(300));
    Message toHole = Message.newQuery(Record.newRecord(Name.fromString("hole.test."), Type.MX, DClass.IN));
    assertThatThrownBy(() -> impatient.send(toHole)).isInstanceOf(IOException.class);
    assertThat(dns.queryCount("hole.test", "MX")).isEqualTo(1);
  }

  @Test
  void largeAnswerIsTruncatedOverUdpAndWholeOverTcp() throws Exception {
    for (int i = 0; i < 120; i++) {
      dns.a("big.test", "127.0.1." + (i + 1));
    }
    SimpleResolver udpOnly = new SimpleResolver(dns.socketAddress());
    udpOnly.setIgnoreTruncation(true);
    udpOnly.setTimeout(Duration.ofSeconds(2));

    Message truncated = udpOnly.send(Message.newQuery(Record.newRecord(Name.fromString("big.test."), Type.A, DClass.IN)));
    Message whole = ask("big.test", Type.A, true);

    assertThat(truncated.getHeader().getFlag(Flags.TC)).isTrue();
    assertThat(whole.getSection(Section.ANSWER)).hasSize(120);
  }

  @Test
  void loadsAZoneFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("world.zone");
    Files.writeString(
        file,
        String.join(
            "\n",
            "# demo world",
            "$TTL 60",
            "shop.test  MX 10 mx.shop.test",
            "mx.shop.test A 127.0.0.9",
            "mx.shop.test AAAA ::1",
            "nomail.test MX 0 .",
            "shop.test TXT v=spf1 -all",
            "down.test SERVFAIL"));
    dns.load(file);

    Message mx = ask("shop.test", Type.MX, false);
    assertThat(mx.getSection(Section.ANSWER)).singleElement().satisfies(r -> assertThat(r.getTTL()).isEqualTo(60));
    assertThat(ask("mx.shop.test", Type.AAAA, false).getSection(Section.ANSWER)).hasSize(1);
    assertThat(((MXRecord) ask("nomail.test", Type.MX, false).getSection(Section.ANSWER).get(0)).getTarget())
        .isEqualTo(Name.root);
    assertThat(ask("down.test", Type.A, false).getRcode()).isEqualTo(Rcode.SERVFAIL);
  }

  @Test
  void zoneFileErrorsNameTheLine() {
    assertThatThrownBy(() -> ZoneFile.load("ok.test A 127.0.0.1\nbad.test MX ten mx.test", new Zone()))
        .hasMessageContaining("line 2")
        .hasMessageContaining("not a number");
    assertThatThrownBy(() -> ZoneFile.load("x.test SPF whatever", new Zone())).hasMessageContaining("unsupported type");
  }
}
