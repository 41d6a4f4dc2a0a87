package io.mailprobe.pipeline.intel;

import static io.mailprobe.pipeline.intel.ListFiles.HEADER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProviderRulesTest {

  private static final ProviderRules RULES = ReferenceLists.bundled().providerRules();

  @TempDir Path dir;

  private static Optional<String> provider(String domain, String... mx) {
    return RULES.match(domain, List.of(mx)).map(ProviderRule::name);
  }

  @Test
  void mxSuffixIdentifiesTheProvider() {
    assertThat(provider("acme.example", "ASPMX.L.GOOGLE.COM.")).contains("google");
    assertThat(provider("acme.example", "alt1.aspmx.l.google.com")).contains("google");
    assertThat(provider("acme.example", "acme-example.mail.protection.outlook.com")).contains("microsoft");
    assertThat(provider("acme.example", "mx0a-001.pphosted.com")).contains("proofpoint");
    assertThat(provider("acme.example", "us-smtp-inbound-1.mimecast.com")).contains("mimecast");
    assertThat(provider("acme.example", "in1-smtp.messagingengine.com")).contains("fastmail");
    assertThat(provider("acme.example", "mail.protonmail.ch")).contains("protonmail");
  }

  @Test
  void suffixMatchesOnLabelBoundaryOnly() {
    assertThat(provider("acme.example", "evilgoogle.com")).isEmpty();
    assertThat(provider("acme.example", "mx.notpphosted.com")).isEmpty();
  }

  @Test
  void longestSuffixWinsSoAolIsNotYahoo() {
    assertThat(provider("aol.com", "mx-aol.mail.gm0.yahoodns.net")).contains("aol");
    assertThat(provider("yahoo.com", "mta5.am0.yahoodns.net")).contains("yahoo");
  }

  @Test
  void mxMatchWinsOverDomainMatch() {
    // A gmail.com look-alike whose MX is Microsoft 365 is Microsoft's business.
    assertThat(provider("gmail.com", "gmail-com.mail.protection.outlook.com")).contains("microsoft");
    // The first MX host that matches decides; unknown hosts before it are skipped.
    assertThat(provider("acme.example", "mx.acme.example", "alt2.aspmx.l.google.com")).contains("google");
  }

  @Test
  void domainMatchWhenNoMxMatches() {
    assertThat(provider("gmail.com")).contains("google");
    assertThat(provider("Hotmail.CO.UK", "mx.unknown.example")).contains("microsoft");
    assertThat(provider("yahoo.co.uk")).contains("yahoo");
    assertThat(provider("yahoo.com.br")).contains("yahoo");
    assertThat(provider("yahoo.a.b.example")).isEmpty();
    assertThat(provider("ymail.com")).contains("yahoo");
    assertThat(provider("icloud.com")).contains("apple");
    assertThat(provider("web.de")).contains("gmx");
    assertThat(provider("acme.example", "mx.acme.example")).isEmpty();
  }

  @Test
  void bundledFlagsMatchTheDesign() {
    ProviderRule yahoo = RULES.named("yahoo").orElseThrow();
    assertThat(yahoo.acceptsUnverifiable()).isTrue();
    assertThat(RULES.named("aol").orElseThrow().acceptsUnverifiable()).isTrue();
    assertThat(RULES.named("microsoft").orElseThrow().acceptAllIsCatchAll()).isTrue();
    assertThat(RULES.named("google").orElseThrow().acceptsUnverifiable()).isFalse();
    assertThat(RULES.rules())
        .extracting(ProviderRule::name)
        .contains("google", "microsoft", "yahoo", "aol", "apple", "proofpoint", "mimecast", "barracuda", "zoho",
            "yandex", "mailru", "gmx", "fastmail", "protonmail");
  }

  @Test
  void overrideFileWithEveryKey() {
    ListLocation file =
        ListFiles.write(
            dir, "rules.txt",
            HEADER
                + "[slowcorp]\n"
                + "mx = mx.slow.example\n"
                + "domains = slow.example, slowmail.*\n"
                + "recipients-per-session = 5\n"
                + "skip-catch-all-probe = true\n"
                + "connect-timeout = PT45S\n"
                + "command-timeout = PT2M\n");
    ProviderRules rules = ProviderRules.load(file);
    ProviderRule rule = rules.match("x.example", List.of("a.mx.slow.example")).orElseThrow();
    assertThat(rule)
        .isEqualTo(new ProviderRule("slowcorp", List.of("mx.slow.example"), List.of("slow.example", "slowmail.*"),
            5, true, false, false, Duration.ofSeconds(45), Duration.ofMinutes(2)));
    assertThat(rules.match("slowmail.de", List.of())).contains(rule);
    assertThat(rules.match("gmail.com", List.of())).isEmpty();
  }

  @Test
  void badRuleFilesNameTheLine() {
    assertThatThrownBy(() -> ProviderRules.load(ListFiles.write(dir, "a.txt", HEADER + "[x]\nmx = a.example\nspeed = fast\n")))
        .isInstanceOf(ListFormatException.class)
        .hasMessageEndingWith("a.txt:5: unknown key 'speed' in [x]");
    assertThatThrownBy(() -> ProviderRules.load(ListFiles.write(dir, "b.txt", HEADER + "mx = a.example\n")))
        .hasMessageContaining("b.txt:3: 'mx = a.example' comes before the first [provider] section");
    assertThatThrownBy(() -> ProviderRules.load(ListFiles.write(dir, "c.txt", HEADER + "[x]\nmx = a.example\nconnect-timeout = 30s\n")))
        .hasMessageContaining("c.txt:5: '30s' is not a positive ISO-8601 duration");
    assertThatThrownBy(() -> ProviderRules.load(ListFiles.write(dir, "d.txt", HEADER + "[x]\nrecipients-per-session = 0\n")))
        .hasMessageContaining("d.txt:4: '0' is not a positive whole number");
    assertThatThrownBy(() -> ProviderRules.load(ListFiles.write(dir, "e.txt", HEADER + "[x]\nskip-catch-all-probe = yes\n")))
        .hasMessageContaining("e.txt:4: 'yes' is not true or false");
    assertThatThrownBy(() -> ProviderRules.load(ListFiles.write(dir, "f.txt", HEADER + "[x]\n[x]\nmx = a.example\n")))
        .hasMessageContaining("f.txt:4: provider [x] appears twice");
    assertThatThrownBy(() -> ProviderRules.load(ListFiles.write(dir, "g.txt", HEADER + "[x]\nskip-catch-all-probe = true\n")))
        .hasMessageContaining("g.txt:3: provider [x] has neither mx nor domains");
    assertThatThrownBy(() -> ProviderRules.load(ListFiles.write(dir, "h.txt", HEADER + "[x]\nmx = bad_host.example\n")))
        .hasMessageContaining("h.txt:4: 'bad_host.example' is not a domain name");
  }
}
