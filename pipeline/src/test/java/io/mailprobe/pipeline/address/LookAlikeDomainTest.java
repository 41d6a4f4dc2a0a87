package io.mailprobe.pipeline.address;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Mixed-script IDN look-alikes (UTS #39 via ICU's SpoofChecker): a label that mixes scripts is refused with a
 * problem that says so; labels in one script, and the mixtures registries allow, are valid.
 */
class LookAlikeDomainTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "jane@p\u0430ypal.com",          // Cyrillic a among Latin letters
      "jane@g\u043e\u043egle.com",     // two Cyrillic o
      "jane@\u03b1pple.com",           // Greek alpha + Latin
      "jane@micros\u03bfft.com",       // Greek omicron
      "jane@exa\u0441mple.co.uk",      // Cyrillic es, second-level label
      "jane@mail.\u0440aypal.com",     // Cyrillic er in a subdomain label
      "jane@xn--pypal-4ve.com"         // the A-label of p\u0430ypal.com given directly
  })
  void mixedScriptLabelsAreRefusedAsLookAlikes(String input) {
    ParsedAddress parsed = AddressParser.parse(input);
    assertThat(parsed).isInstanceOf(ParsedAddress.Invalid.class);
    assertThat(((ParsedAddress.Invalid) parsed).problem()).contains("mixes scripts").contains("UTS #39");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "jane@m\u00fcnchen.de",                        // Latin with a diacritic
      "jane@\u043f\u0440\u0438\u043c\u0435\u0440.\u0440\u0444", // all Cyrillic
      "jane@\u043f\u0440\u0438\u043c\u0435\u0440.com",          // Cyrillic label, Latin TLD: scripts differ per label
      "jane@\u4f8b\u3048.jp",                         // Han + Hiragana: allowed together
      "jane@\u0430\u0440\u0440\u04cf\u0435.com",     // whole-script Cyrillic look-alike of "apple": not mixed
      "jane@\u03b5\u03bb\u03bb\u03ac\u03b4\u03b1.gr", // all Greek
      "jane@example.com"
  })
  void singleScriptLabelsAreValid(String input) {
    assertThat(AddressParser.parse(input)).isInstanceOf(ParsedAddress.Valid.class);
  }
}
