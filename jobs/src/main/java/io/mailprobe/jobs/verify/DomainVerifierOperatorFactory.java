package io.mailprobe.jobs.verify;

import io.mailprobe.connectors.json.VerdictJson.EventVerdict;
import io.mailprobe.jobs.VerificationRequest;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.streaming.api.operators.AbstractStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.OneInputStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.StreamOperator;
import org.apache.flink.streaming.api.operators.StreamOperatorParameters;

/** Builds {@link DomainVerifierOperator}s, handing each the task's mailbox for probe completions. */
public final class DomainVerifierOperatorFactory extends AbstractStreamOperatorFactory<EventVerdict>
    implements OneInputStreamOperatorFactory<VerificationRequest, EventVerdict> {

  private final HashMap<String, String> settings;

  /** @param settings the job's {@code key -> value} configuration (DESIGN §6) */
  public DomainVerifierOperatorFactory(Map<String, String> settings) {
    this.settings = new HashMap<>(settings);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T extends StreamOperator<EventVerdict>> T createStreamOperator(
      StreamOperatorParameters<EventVerdict> parameters) {
    return (T) new DomainVerifierOperator(parameters, settings, parameters.getMailboxExecutor());
  }

  @Override
  public Class<? extends StreamOperator<?>> getStreamOperatorClass(ClassLoader classLoader) {
    return DomainVerifierOperator.class;
  }
}
