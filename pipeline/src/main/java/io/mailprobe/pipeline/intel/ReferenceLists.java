package io.mailprobe.pipeline.intel;

import io.mailprobe.pipeline.address.EmailAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** All lists and intelligence of DESIGN §5, loaded together at startup. */
public record ReferenceLists(
    RoleAccounts roleAccounts,
    DisposableDomains disposableDomains,
    FreeProviders freeProviders,
    TopLevelDomains topLevelDomains,
    TypoSuggester typoSuggester,
    SpamTraps spamTraps,
    ProviderRules providerRules) {

  public ReferenceLists {
    Objects.requireNonNull(roleAccounts, "roleAccounts");
    Objects.requireNonNull(disposableDomains, "disposableDomains");
    Objects.requireNonNull(freeProviders, "freeProviders");
    Objects.requireNonNull(topLevelDomains, "topLevelDomains");
    Objects.requireNonNull(typoSuggester, "typoSuggester");
    Objects.requireNonNull(spamTraps, "spamTraps");
    Objects.requireNonNull(providerRules, "providerRules");
  }

  /** The lists shipped with mailprobe, read once per class loader. */
  public static ReferenceLists bundled() {
    return Bundled.LISTS;
  }

  /** Reads every list from {@code sources}; a bad list fails with a {@link ListFormatException}. */
  public static ReferenceLists load(ListSources sources) {
    FreeProviders free = FreeProviders.load(sources.location(ListName.FREE_PROVIDERS));
    TopLevelDomains tlds = TopLevelDomains.load(sources.location(ListName.TOP_LEVEL_DOMAINS));
    return new ReferenceLists(
        RoleAccounts.load(sources.location(ListName.ROLE_ACCOUNTS)),
        DisposableDomains.load(sources.location(ListName.DISPOSABLE_DOMAINS)),
        free,
        tlds,
        TypoSuggester.load(sources.location(ListName.POPULAR_DOMAINS), tlds, free),
        SpamTraps.load(sources.location(ListName.SPAM_TRAPS)),
        ProviderRules.load(sources.location(ListName.PROVIDER_RULES)));
  }

  /** Where each list came from, for logs and the verdict metadata. */
  public List<ListProvenance> provenance() {
    return List.of(
        roleAccounts.provenance(),
        disposableDomains.provenance(),
        freeProviders.provenance(),
        topLevelDomains.provenance(),
        typoSuggester.provenance(),
        spamTraps.provenance(),
        providerRules.provenance());
  }

  /** The list facts about one address, as the precheck needs them. */
  public AddressIntel examine(EmailAddress address) {
    return new AddressIntel(
        roleAccounts.isRole(address),
        disposableDomains.isDisposable(address),
        freeProviders.isFreeProvider(address),
        spamTraps.isTrap(address),
        typoSuggester.suggest(address));
  }

  /**
   * What the lists say about one address.
   *
   * @param suggestion a domain the user may have meant; never changes a status
   */
  public record AddressIntel(
      boolean role, boolean disposable, boolean freeProvider, boolean spamTrap, Optional<String> suggestion) {}

  /** Lazy holder: the bundled lists are read on first use only. */
  private static final class Bundled {
    static final ReferenceLists LISTS = load(ListSources.bundled());
  }
}
