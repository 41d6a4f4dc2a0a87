package io.mailprobe.pipeline.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DnsSettingsTest {

  private static InetSocketAddress at(String literal, int port) throws Exception {
    return new InetSocketAddress(InetAddress.getByName(literal), port); // literals only: no lookup
  }

  @Test
  void parsesIpv4AndIpv6WithAndWithoutPort() throws Exception {
    assertThat(DnsSettings.parseServers("127.0.0.1:5353, [::1]:53,10.0.0.2,[::1], ::2"))
        .containsExactly(at("127.0.0.1", 5353), at("::1", 53), at("10.0.0.2", 53), at("::1", 53), at("::2", 53));
  }

  @Test
  void blankMeansTheSystemResolvers() {
    assertThat(DnsSettings.parseServers("  ")).isEmpty();
    assertThat(DnsSettings.defaults().servers()).isEmpty();
  }

  @Test
  void refusesNamesBadPortsAndBrokenBrackets() {
    assertThatThrownBy(() -> DnsSettings.parseServers("dns.example.com"))
        .hasMessageContaining("'dns.example.com' is not an IPv4 or IPv6 address");
    assertThatThrownBy(() -> DnsSettings.parseServers("127.0.0.1:0")).hasMessageContaining("outside 1..65535");
    assertThatThrownBy(() -> DnsSettings.parseServers("127.0.0.1:70000")).hasMessageContaining("outside 1..65535");
    assertThatThrownBy(() -> DnsSettings.parseServers("127.0.0.1:dns")).hasMessageContaining("not a number");
    assertThatThrownBy(() -> DnsSettings.parseServers("[::1:53")).hasMessageContaining("missing ']'");
    assertThatThrownBy(() -> DnsSettings.parseServers("[::1]53")).hasMessageContaining("expected ':port'");
    assertThatThrownBy(() -> DnsSettings.parseServers("127.0.0.1,,::1")).hasMessageContaining("empty DNS server");
    assertThatThrownBy(() -> DnsSettings.parseServers("999.1.1.1")).hasMessageStartingWith("bad DNS server '999.1.1.1'");
  }

  @Test
  void refusesSettingsThatCannotWork() {
    DnsSettings d = DnsSettings.defaults();
    assertThatThrownBy(() -> d.withTimeout(Duration.ZERO, 1)).hasMessageContaining("queryTimeout");
    assertThatThrownBy(() -> d.withTimeout(Duration.ofSeconds(1), -1)).hasMessageContaining("retries");
    assertThatThrownBy(() -> d.withMaxCnameChain(-1)).hasMessageContaining("maxCnameChain");
    assertThatThrownBy(() -> d.withMaxQueriesInFlight(0)).hasMessageContaining("maxQueriesInFlight");
  }
}
