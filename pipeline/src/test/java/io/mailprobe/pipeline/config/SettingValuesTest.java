package io.mailprobe.pipeline.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SettingValuesTest {

  private static SettingValues parse(String... args) {
    return SettingValues.parse(List.of(args), VerificationSettings.ALL, Set.of("table"));
  }

  @Test
  void readsKeysInBothFormsAndKeepsPositionalArguments() {
    SettingValues v = parse("--smtp-port", "2525", "a@b.example", "--dns=127.0.0.1:5353", "--table", "c@d.example");
    assertThat(v.get(VerificationSettings.SMTP_PORT)).isEqualTo(2525);
    assertThat(v.get(VerificationSettings.DNS)).containsExactly("127.0.0.1:5353");
    assertThat(v.isGiven("table")).isTrue();
    assertThat(v.positional()).containsExactly("a@b.example", "c@d.example");
  }

  @Test
  void defaultsApplyWhenAKeyIsNotGiven() {
    SettingValues v = parse();
    assertThat(v.get(VerificationSettings.SMTP_PORT)).isEqualTo(25);
    assertThat(v.get(VerificationSettings.GREYLIST_BACKOFF))
        .containsExactly(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofMinutes(60));
    assertThat(v.get(VerificationSettings.HELO)).isNull();
    assertThat(v.withDefault("greylist-retries", "0").get(VerificationSettings.GREYLIST_RETRIES)).isZero();
    assertThat(parse("--greylist-retries", "2").withDefault("greylist-retries", "0").get(VerificationSettings.GREYLIST_RETRIES))
        .isEqualTo(2);
  }

  @Test
  void badUsageNamesTheOptionAndTheProblem() {
    assertThatThrownBy(() -> parse("--smtp-port", "99999"))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessage("--smtp-port 99999: must be between 1 and 65535");
    assertThatThrownBy(() -> parse("--smpt-port", "25"))
        .hasMessage("unknown option --smpt-port (see --help)");
    assertThatThrownBy(() -> parse("--connect-timeout")).hasMessage("--connect-timeout needs a value");
    assertThatThrownBy(() -> parse("--connect-timeout", "soon"))
        .hasMessageContaining("not a duration");
    assertThatThrownBy(() -> parse("--dns", "--smtp-port"))
        .hasMessageContaining("--dns --smtp-port")
        .hasMessageContaining("is not an IP address");
    assertThatThrownBy(() -> parse("--proxy", "proxy.example:1080"))
        .hasMessageContaining("is not an IP address");
  }

  @Test
  void hostAndPortAcceptsV4V6AndDefaultPort() {
    assertThat(Parsers.hostAndPort("127.0.0.1:5353", 53)).isEqualTo(new InetSocketAddress("127.0.0.1", 5353));
    assertThat(Parsers.hostAndPort("127.0.0.1", 53).getPort()).isEqualTo(53);
    assertThat(Parsers.hostAndPort("[::1]:5300", 53).getAddress().getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
    assertThat(Parsers.hostAndPort("::1", 53).getPort()).isEqualTo(53);
    assertThatThrownBy(() -> Parsers.hostAndPort("300.1.1.1", 53)).hasMessageContaining("not an IP address");
  }

  @Test
  void durationsInShortAndIsoForms() {
    assertThat(Parsers.duration("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(Parsers.duration("2h")).isEqualTo(Duration.ofHours(2));
    assertThat(Parsers.duration("PT3S")).isEqualTo(Duration.ofSeconds(3));
  }
}
