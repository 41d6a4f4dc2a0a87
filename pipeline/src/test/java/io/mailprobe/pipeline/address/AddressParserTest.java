package io.mailprobe.pipeline.address;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressParserTest {

  private static EmailAddress valid(String input) {
    ParsedAddress parsed = AddressParser.parse(input);
    assertThat(parsed).as(input).isInstanceOf(ParsedAddress.Valid.class);
    return ((ParsedAddress.Valid) parsed).address();
  }

  private static String problem(String input) {
    ParsedAddress parsed = AddressParser.parse(input);
    assertThat(parsed).as(String.valueOf(input)).isInstanceOf(ParsedAddress.Invalid.class);
    return ((ParsedAddress.Invalid) parsed).problem();
  }

  @Test
  void plainAddressKeepsLocalCaseAndLowersDomain() {
    EmailAddress a = valid("Jane.Doe@Example.COM");
    assertThat(a.input()).isEqualTo("Jane.Doe@Example.COM");
    assertThat(a.localPart()).isEqualTo("Jane.Doe");
    assertThat(a.domain()).isEqualTo("example.com");
    assertThat(a.unicodeDomain()).isEqualTo("example.com");
    assertThat(a.normalized()).isEqualTo("Jane.Doe@example.com");
    assertThat(a.quoted()).isFalse();
    assertThat(a.internationalizedLocalPart()).isFalse();
  }

  @Test
  void plusAddressAndAllAtextCharactersAreValid() {
    assertThat(valid("jane+news@example.com").localPart()).isEqualTo("jane+news");
    assertThat(valid("!#$%&'*+-/=?^_`{|}~@example.org").localPart()).isEqualTo("!#$%&'*+-/=?^_`{|}~");
  }

  @Test
  void quotedLocalPartWithSpaceAndAtKeepsItsQuotes() {
    EmailAddress a = valid("\"john doe@home\"@example.com");
    assertThat(a.quoted()).isTrue();
    assertThat(a.localPart()).isEqualTo("\"john doe@home\"");
    assertThat(a.unquotedLocalPart()).isEqualTo("john doe@home");
    assertThat(a.normalized()).isEqualTo("\"john doe@home\"@example.com");
    assertThat(valid("\"a\\\"b\"@example.com").unquotedLocalPart()).isEqualTo("a\"b");
    // Legal in quotes (RFC 5321), but DESIGN §4 keeps '<' and '>' off the wire.
    assertThat(problem("\"<x>\"@example.com")).contains("inside a quoted local part is not probed");
  }

  @Test
  void idnDomainBecomesLowerCaseALabel() {
    EmailAddress a = valid("user@Bücher.example");
    assertThat(a.domain()).isEqualTo("xn--bcher-kva.example");
    assertThat(a.unicodeDomain()).isEqualTo("bücher.example");
    assertThat(a.normalized()).isEqualTo("user@xn--bcher-kva.example");
  }

  @Test
  void nontransitionalProcessingKeepsSharpS() {
    // IDNA2003 (java.net.IDN) would map ß to "ss" and send mail to another domain.
    assertThat(valid("a@faß.de").domain()).isEqualTo("xn--fa-hia.de");
  }

  @Test
  void aLabelInputIsCheckedAndDecoded() {
    EmailAddress a = valid("user@XN--BCHER-KVA.example");
    assertThat(a.domain()).isEqualTo("xn--bcher-kva.example");
    assertThat(a.unicodeDomain()).isEqualTo("bücher.example");
    assertThat(problem("user@xn--a.example")).startsWith("IDN conversion failed:");
  }

  @Test
  void internationalizedLocalPartIsFlagged() {
    EmailAddress a = valid("用户@例子.测试");
    assertThat(a.internationalizedLocalPart()).isTrue();
    assertThat(a.domain()).isEqualTo("xn--fsqu00a.xn--0zwm56d");
    assertThat(a.normalized()).isEqualTo("用户@xn--fsqu00a.xn--0zwm56d");
    assertThat(valid("\"ü ser\"@example.com").internationalizedLocalPart()).isTrue();
  }

  @Test
  void maximumLengthsAreAcceptedExactly() {
    String local64 = "a".repeat(64);
    assertThat(valid(local64 + "@example.com").localPart()).hasSize(64);

    String label63 = "b".repeat(63);
    assertThat(valid("x@" + label63 + ".example").domain()).startsWith(label63);

    // 64 + 1 + 189 = 254 octets.
    String domain189 = "c".repeat(63) + "." + "d".repeat(63) + "." + "e".repeat(57) + ".com";
    assertThat(domain189).hasSize(189);
    assertThat(valid(local64 + "@" + domain189).normalized()).hasSize(254);
  }

  @Test
  void lengthLimitsNameTheOctets() {
    assertThat(problem("a".repeat(65) + "@example.com")).isEqualTo("local part is 65 octets; the limit is 64");
    // 22 two-octet letters (44) + 21 ASCII = 65 octets in 43 characters.
    assertThat(problem("é".repeat(22) + "a".repeat(21) + "@example.com"))
        .isEqualTo("local part is 65 octets; the limit is 64");
    assertThat(problem("a@" + "b".repeat(64) + ".example"))
        .isEqualTo("domain label 'bbbbbbbbbbbbbbbbbbbb...' is 64 octets; the limit is 63");
    String domain256 = ("x".repeat(63) + ".").repeat(4).substring(0, 252) + ".com";
    assertThat(domain256).hasSize(256);
    assertThat(problem("a@" + domain256)).isEqualTo("domain is 256 octets; the limit is 255");
    String domain195 = "c".repeat(63) + "." + "d".repeat(63) + "." + "e".repeat(63) + ".com";
    assertThat(problem("a".repeat(64) + "@" + domain195)).isEqualTo("address is 260 octets; the limit is 254");
  }

  @Test
  void idnLengthIsCountedOnTheALabel() {
    // Fewer than 25 characters whose A-label is longer than 63 octets.
    String chinese = "中文域名测试邮件地址长度检查国际化电子邮箱服务";
    assertThat(chinese).hasSizeLessThan(25);
    assertThat(problem("a@" + chinese + ".example")).contains("octets; the limit is 63");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "jane.example.com|missing @",
        "@example.com|empty local part",
        "\"\"@example.com|empty local part",
        "a..b@example.com|consecutive dots in local part",
        ".a@example.com|local part starts with a dot",
        "a.@example.com|local part ends with a dot",
        "\"abc@example.com|unbalanced quote",
        "abc\"@example.com|unbalanced quote at position 4 (a quoted local part must be quoted as a whole)",
        "\"ab\"c@example.com|character 'c' at position 5 after the closing quote; expected @",
        "a@|missing domain after @",
        "a@x..example|domain 'x..example' has an empty label",
        "a@.example.com|domain starts with a dot",
        "a@example.com.|domain ends with a dot",
        "a@localhost|domain has no dot ('localhost' is a single label and cannot receive Internet mail)",
        "a@[192.0.2.1]|address literals such as [192.0.2.1] are not verified",
        "a@192.0.2.1|top-level domain '1' is all digits (an IP address is written as [192.0.2.1])",
        "a@b@example.com|second @ at position 4 (an @ in the local part must be quoted)",
        "a@exa_mple.com|character '_' at position 6 is not allowed in a domain",
        "a@-example.com|domain label '-example' starts with a hyphen",
        "a@example-.com|domain label 'example-' ends with a hyphen",
        "a(comment)@example.com|character '(' at position 2 is not allowed in an unquoted local part",
        "a\\b@example.com|backslash at position 2 (allowed only inside a quoted local part)",
      })
  void invalidAddressesGetSpecificReasons(String input, String reason) {
    assertThat(problem(input)).isEqualTo(reason);
  }

  @ParameterizedTest
  @ValueSource(strings = {"<jane@example.com>", "ja<ne@example.com", "jane>@example.com"})
  void angleBracketsOutsideQuotesAreRefused(String input) {
    assertThat(problem(input)).contains("allowed only inside a quoted local part");
  }

  @Test
  void spacesAreRefusedNotTrimmed() {
    assertThat(problem(" jane@example.com")).isEqualTo("leading space (trim the input before parsing)");
    assertThat(problem("jane@example.com ")).isEqualTo("trailing space (trim the input before parsing)");
    assertThat(problem("jane doe@example.com"))
        .isEqualTo("space at position 5 (allowed only inside a quoted local part)");
    assertThat(problem("jane@exa mple.com")).isEqualTo("space at position 9 in the domain");
    assertThat(problem("jane\u00A0doe@example.com")).startsWith("invisible or space character U+00A0 at position 5");
    assertThat(problem("ja\u200Bne@example.com")).startsWith("invisible or space character U+200B at position 3");
  }

  @Test
  void commandInjectionIsRefusedWithTheControlCharacter() {
    assertThat(problem("a@b.example\r\nDATA")).isEqualTo("control character U+000D (CR) at position 12");
    assertThat(problem("a@b.example\nRCPT TO:<x@y.example>")).isEqualTo("control character U+000A (LF) at position 12");
    assertThat(problem("a\u0000b@example.com")).isEqualTo("control character U+0000 (NUL) at position 2");
    assertThat(problem("\"a\tb\"@example.com")).isEqualTo("control character U+0009 (HT) at position 3");
    assertThat(problem("a\u007F@example.com")).isEqualTo("control character U+007F (DEL) at position 2");
    assertThat(problem("a@exam\u0085ple.com")).isEqualTo("control character U+0085 (NEL, a C1 control) at position 7");
    assertThat(problem("a@example.com\u009B")).contains("U+009B (a C1 control)");
  }

  @Test
  void brokenUnicodeIsRefused() {
    assertThat(problem("a\uD800b@example.com")).isEqualTo("unpaired surrogate U+D800 at position 2 (not valid Unicode)");
    assertThat(valid("\uD83D\uDE00@example.com").internationalizedLocalPart()).isTrue();
  }

  @Test
  void uts46ErrorsAreReported() {
    assertThat(problem("a@ex\uFF3Fample.com")).startsWith("IDN conversion failed: ");
    // A right-to-left label beside a label starting with a digit breaks the Bidi rule.
    assertThat(problem("a@0a.\u05D0.example")).contains("Bidi");
  }

  @Test
  void nullAndEmptyAreInvalid() {
    ParsedAddress parsed = AddressParser.parse(null);
    assertThat(parsed).isEqualTo(new ParsedAddress.Invalid(null, "no address (null)"));
    assertThat(problem("")).isEqualTo("empty address");
  }

  @Test
  void hugeInputsAreRefusedQuickly() {
    long start = System.nanoTime();
    assertThat(problem("x".repeat(10_000) + "@example.com")).isEqualTo("local part is 10000 octets; the limit is 64");
    assertThat(problem("y".repeat(1 << 20))).isEqualTo("missing @");
    assertThat(problem("a@" + "z".repeat(1 << 20) + ".com")).isEqualTo("domain is 1048580 octets; the limit is 255");
    assertThat(problem("a@" + "ü".repeat(1 << 20) + ".com")).startsWith("domain is 1048580 characters");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
  }

  @Test
  void utf8LengthMatchesTheJdkEncoder() {
    for (String s : new String[] {"abc", "é", "用户", "\uD83D\uDE00x", "aé用\uD83D\uDE00"}) {
      assertThat(AddressParser.utf8Length(s)).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
    }
  }

  @Test
  void asciiFastPathAgreesWithUts46() {
    // The parser skips ICU for plain LDH domains; ICU must give the same answer for them.
    com.ibm.icu.text.IDNA idna =
        com.ibm.icu.text.IDNA.getUTS46Instance(
            com.ibm.icu.text.IDNA.NONTRANSITIONAL_TO_ASCII | com.ibm.icu.text.IDNA.USE_STD3_RULES);
    for (String domain : new String[] {"Example.COM", "mx-1.Mail.example.org", "ab--cd.example", "A1.B2.C3"}) {
      StringBuilder out = new StringBuilder();
      idna.nameToASCII(domain, out, new com.ibm.icu.text.IDNA.Info());
      assertThat(valid("x@" + domain).domain()).isEqualTo(out.toString());
    }
  }
}
