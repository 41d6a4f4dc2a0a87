package io.mailprobe.pipeline.intel;

import static io.mailprobe.pipeline.intel.ListFiles.HEADER;
import static io.mailprobe.pipeline.intel.ListFiles.address;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimpleListsTest {

  private static final ReferenceLists BUNDLED = ReferenceLists.bundled();

  @TempDir Path dir;

  @Test
  void roleAccountsIgnoreCaseAndTag() {
    RoleAccounts roles = BUNDLED.roleAccounts();
    assertThat(roles.isRole(address("Postmaster@example.com"))).isTrue();
    assertThat(roles.isRole(address("SALES+eu@example.com"))).isTrue();
    assertThat(roles.isRole(address("\"info\"@example.com"))).isTrue();
    assertThat(roles.isRole(address("no-reply@example.com"))).isTrue();
    assertThat(roles.isRole(address("jane@example.com"))).isFalse();
    assertThat(roles.isRole(address("information@example.com"))).isFalse();
    assertThat(roles.size()).isBetween(50, 80);
  }

  @Test
  void disposableDomainsIsTheRealListAndMatchesSubdomains() {
    DisposableDomains disposable = BUNDLED.disposableDomains();
    assertThat(disposable.size()).isGreaterThan(5000);
    assertThat(disposable.version()).startsWith("a6458931ee3eee7fbacc867bd43133be0bca6c30");
    assertThat(disposable.source()).contains("disposable-email-domains/disposable-email-domains");
    assertThat(disposable.isDisposable("mailinator.com")).isTrue();
    assertThat(disposable.isDisposable("x.mailinator.com")).isTrue();
    assertThat(disposable.isDisposable(address("a@Deep.Sub.MAILINATOR.com"))).isTrue();
    assertThat(disposable.isDisposable("mailinator.com.example")).isFalse();
    assertThat(disposable.isDisposable("gmail.com")).isFalse();
  }

  @Test
  void freeProvidersMatchExactlyOnly() {
    FreeProviders free = BUNDLED.freeProviders();
    assertThat(free.size()).isGreaterThan(300);
    for (String d : new String[] {"gmail.com", "outlook.com", "hotmail.co.uk", "yahoo.fr", "icloud.com", "gmx.de",
        "web.de", "yandex.ru", "mail.ru", "proton.me", "aol.com", "zoho.com"}) {
      assertThat(free.isFreeProvider(d)).as(d).isTrue();
    }
    assertThat(free.isFreeProvider("mail.gmail.com")).isFalse();
    assertThat(free.isFreeProvider("example.com")).isFalse();
    // A domain is never both: the disposable list wins.
    assertThat(free.isFreeProvider("techemail.com")).isFalse();
  }

  @Test
  void spamTrapsMatchAddressesAndDomains() {
    SpamTraps traps = BUNDLED.spamTraps();
    assertThat(traps.isTrap(address("anyone@trap.example"))).isTrue();
    assertThat(traps.isTrap(address("anyone@sub.trap.example"))).isTrue();
    assertThat(traps.isTrap(address("Pristine-Trap@Example.ORG"))).isTrue();
    assertThat(traps.isTrap(address("someone-else@example.org"))).isFalse();
    assertThat(traps.source()).contains("no honest public trap list");
  }

  @Test
  void overridesLoadFromATempFile() {
    ListLocation roles = ListFiles.write(dir, "roles.txt", HEADER + "# a comment\n\nceo\nboard  # trailing comment\n");
    ListLocation traps = ListFiles.write(dir, "traps.txt", HEADER + "honeypot.test\nbait@example.net\n");
    ReferenceLists lists =
        ReferenceLists.load(
            ListSources.bundled().with(ListName.ROLE_ACCOUNTS, roles).with(ListName.SPAM_TRAPS, traps));
    assertThat(lists.roleAccounts().isRole(address("CEO@example.com"))).isTrue();
    assertThat(lists.roleAccounts().isRole(address("board+x@example.com"))).isTrue();
    assertThat(lists.roleAccounts().isRole(address("postmaster@example.com"))).isFalse();
    assertThat(lists.roleAccounts().provenance())
        .isEqualTo(new ListProvenance(roles.name(), "unit test", "test-1"));
    assertThat(lists.spamTraps().isTrap(address("x@honeypot.test"))).isTrue();
    assertThat(lists.spamTraps().isTrap(address("bait@example.net"))).isTrue();
    assertThat(lists.spamTraps().isTrap(address("pristine-trap@example.org"))).isFalse();
  }

  @Test
  void overrideFromAFileUrl() {
    ListLocation file = ListFiles.write(dir, "d.txt", HEADER + "throwaway.example\n");
    ListLocation url = ListLocation.of(file.url().toString());
    assertThat(url.name()).startsWith("file:");
    assertThat(DisposableDomains.load(url).isDisposable("a.throwaway.example")).isTrue();
  }

  @Test
  void badDomainLineNamesTheFileAndLine() {
    ListLocation bad = ListFiles.write(dir, "bad.txt", HEADER + "ok.example\n\nnot a domain\n");
    assertThatThrownBy(() -> DisposableDomains.load(bad))
        .isInstanceOf(ListFormatException.class)
        .hasMessage(bad.name() + ":5: 'not a domain' is not a domain name: character ' '");
    ListLocation single = ListFiles.write(dir, "single.txt", HEADER + "localhost\n");
    assertThatThrownBy(() -> FreeProviders.load(single)).hasMessageContaining("single.txt:3:");
  }

  @Test
  void missingHeaderIsAnError() {
    ListLocation bare = ListFiles.write(dir, "bare.txt", "gmail.com\n");
    assertThatThrownBy(() -> FreeProviders.load(bare))
        .isInstanceOf(ListFormatException.class)
        .hasMessage(bare.name() + ":1: missing '# source: ...' header line");
    ListLocation noVersion = ListFiles.write(dir, "nov.txt", "# source: me\ngmail.com\n");
    assertThatThrownBy(() -> FreeProviders.load(noVersion)).hasMessageContaining("missing '# version: ...'");
  }

  @Test
  void badRoleAndTrapLinesAreReported() {
    ListLocation roles = ListFiles.write(dir, "r.txt", HEADER + "info\nsales@example.com\n");
    assertThatThrownBy(() -> RoleAccounts.load(roles)).hasMessageContaining("r.txt:4: 'sales@example.com'");
    ListLocation traps = ListFiles.write(dir, "t.txt", HEADER + "@example.com\n");
    assertThatThrownBy(() -> SpamTraps.load(traps)).hasMessageContaining("t.txt:3:");
  }

  @Test
  void missingFileIsReportedWithItsName() {
    ListLocation missing = ListLocation.of(dir.resolve("nope.txt").toString());
    assertThatThrownBy(() -> RoleAccounts.load(missing))
        .isInstanceOf(ListFormatException.class)
        .hasMessageContaining("nope.txt: cannot read");
  }

  @Test
  void everyBundledListRecordsSourceAndVersion() {
    assertThat(BUNDLED.provenance()).hasSize(ListName.values().length);
    assertThat(BUNDLED.provenance())
        .allSatisfy(p -> {
          assertThat(p.location()).startsWith("bundled:");
          assertThat(p.source()).isNotBlank();
          assertThat(p.version()).isNotBlank();
        });
    assertThat(ReferenceLists.bundled()).isSameAs(BUNDLED);
  }

  @Test
  void examineGathersTheFlags() {
    ReferenceLists.AddressIntel intel = BUNDLED.examine(address("info+x@gmial.com"));
    assertThat(intel.role()).isTrue();
    assertThat(intel.freeProvider()).isFalse();
    assertThat(intel.suggestion()).contains("gmail.com");
    assertThat(BUNDLED.examine(address("jane@mailinator.com")).disposable()).isTrue();
  }
}
