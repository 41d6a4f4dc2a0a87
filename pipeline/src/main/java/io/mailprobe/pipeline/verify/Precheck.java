package io.mailprobe.pipeline.verify;

import io.mailprobe.pipeline.address.AddressParser;
import io.mailprobe.pipeline.address.EmailAddress;
import io.mailprobe.pipeline.address.ParsedAddress;
import io.mailprobe.pipeline.intel.ReferenceLists;
import io.mailprobe.pipeline.verdict.Flags;
import io.mailprobe.pipeline.verdict.Verdict;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * The stateless first step (DESIGN §1): parse the address, then ask the lists. Bad syntax, spam traps and disposable
 * domains are decided here without any network; everything else goes on to its mail server.
 */
public final class Precheck {

  private final ReferenceLists lists;
  private final Clock clock;

  public Precheck(ReferenceLists lists, Clock clock) {
    this.lists = lists;
    this.clock = clock;
  }

  /** The outcome of the precheck for one input. */
  public sealed interface Result {
    /** The precheck alone gives the final verdict. */
    record Decided(Verdict verdict) implements Result {}

    /** The address needs its mail server's answer. */
    record ToProbe(CheckedAddress address) implements Result {}
  }

  /** Prechecks one input, exactly as given. */
  public Result check(String input) {
    Instant now = clock.instant();
    ParsedAddress parsed = AddressParser.parse(input);
    if (parsed instanceof ParsedAddress.Invalid invalid) {
      return new Result.Decided(VerdictRules.invalidSyntax(input, invalid.problem(), now));
    }
    EmailAddress address = ((ParsedAddress.Valid) parsed).address();
    ReferenceLists.AddressIntel intel = lists.examine(address);
    Flags flags =
        Flags.NONE
            .withRole(intel.role())
            .withDisposable(intel.disposable())
            .withFreeProvider(intel.freeProvider());
    CheckedAddress checked = new CheckedAddress(input, address, flags, intel.suggestion().orElse(null));
    Optional<Verdict> decided = VerdictRules.fromLists(checked, intel.spamTrap(), now);
    return decided.<Result>map(Result.Decided::new).orElseGet(() -> new Result.ToProbe(checked));
  }
}
