package io.mailprobe.jobs;

import io.mailprobe.connectors.json.VerdictJson.EventVerdict;
import io.mailprobe.connectors.kafka.ConsumedSignup;
import io.mailprobe.connectors.signup.DeadLetter;
import io.mailprobe.connectors.signup.SignupEvent;
import io.mailprobe.pipeline.config.SettingValues;
import io.mailprobe.pipeline.config.VerificationSettings;
import io.mailprobe.pipeline.verify.Precheck;
import io.mailprobe.pipeline.verify.VerificationEngine;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The stateless first stage (DESIGN §1): dead letters go to their side output, addresses that the precheck alone
 * decides (bad syntax, spam traps, disposable domains) get their verdict at once on another, and the rest go on to
 * their domain's verifier.
 */
public final class PrecheckFunction extends ProcessFunction<ConsumedSignup, VerificationRequest> {

  /** Records that could not be decoded, for the dead-letter topic. */
  public static final OutputTag<DeadLetter> DEAD_LETTERS =
      new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

  /** Verdicts given without any network. */
  public static final OutputTag<EventVerdict> DECIDED =
      new OutputTag<>("decided", TypeInformation.of(EventVerdict.class));

  private final HashMap<String, String> settings;
  private transient Precheck precheck;

  public PrecheckFunction(Map<String, String> settings) {
    this.settings = new HashMap<>(settings);
  }

  @Override
  public void open(OpenContext context) {
    SettingValues values = SettingValues.of(settings, VerificationSettings.ALL);
    precheck = new Precheck(VerificationEngine.lists(values), Clock.systemUTC());
  }

  @Override
  public void processElement(ConsumedSignup signup, Context ctx, Collector<VerificationRequest> out) {
    if (signup instanceof ConsumedSignup.Invalid invalid) {
      ctx.output(DEAD_LETTERS, invalid.letter());
      return;
    }
    SignupEvent event = ((ConsumedSignup.Valid) signup).event();
    Precheck.Result result = precheck.check(event.email());
    if (result instanceof Precheck.Result.Decided decided) {
      ctx.output(DECIDED, new EventVerdict(event.id(), decided.verdict()));
    } else {
      String domain = ((Precheck.Result.ToProbe) result).address().domain();
      out.collect(new VerificationRequest(event.id(), event.email(), domain));
    }
  }
}
