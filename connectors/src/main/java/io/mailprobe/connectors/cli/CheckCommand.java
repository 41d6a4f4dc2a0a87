package io.mailprobe.connectors.cli;

import io.mailprobe.connectors.json.VerdictJson;
import io.mailprobe.pipeline.config.InvalidSettingException;
import io.mailprobe.pipeline.config.Parsers;
import io.mailprobe.pipeline.config.Setting;
import io.mailprobe.pipeline.config.SettingValues;
import io.mailprobe.pipeline.config.VerificationSettings;
import io.mailprobe.pipeline.verdict.Verdict;
import io.mailprobe.pipeline.verify.VerificationEngine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * {@code scripts/check}: verifies addresses from the arguments or standard input (one per line) and prints one JSON
 * verdict per line in input order, or a table with {@code --table}.
 */
public final class CheckCommand {

  static final Setting<Integer> MAX_DOMAINS =
      new Setting<>("max-domains", "16", "domains verified at once", Parsers.intIn(1, 10_000));
  private static final Set<String> FLAGS = Set.of("table", "help");

  private CheckCommand() {}

  public static void main(String[] args) {
    System.exit(run(Arrays.asList(args), System.in, System.out, System.err));
  }

  /** Runs the checker; returns the process exit code (0 done, 2 bad usage, 1 failure). */
  static int run(List<String> args, InputStream stdin, PrintStream out, PrintStream err) {
    List<Setting<?>> keys = new ArrayList<>(VerificationSettings.ALL);
    keys.add(MAX_DOMAINS);
    SettingValues settings;
    try {
      // The one-off checker reports greylisting at once unless asked to wait (README, greylist-retries).
      settings = SettingValues.parse(args, keys, FLAGS).withDefault("greylist-retries", "0");
    } catch (InvalidSettingException e) {
      err.println("check: " + e.getMessage());
      return 2;
    }
    if (settings.isGiven("help")) {
      out.print(usage(keys));
      return 0;
    }
    List<String> inputs;
    try {
      inputs = settings.positional().isEmpty() ? readLines(stdin) : settings.positional();
    } catch (IOException e) {
      err.println("check: cannot read standard input: " + e.getMessage());
      return 1;
    }
    if (inputs.isEmpty()) {
      err.println("check: no addresses given (pass them as arguments or one per line on standard input; see --help)");
      return 2;
    }
    try (VerificationEngine engine = VerificationEngine.create(settings)) {
      List<Verdict> verdicts =
          engine.batchVerifier(settings.get(MAX_DOMAINS)).verify(inputs).toCompletableFuture().join();
      if (settings.isGiven("table")) {
        out.print(VerdictTable.render(verdicts));
      } else {
        for (Verdict v : verdicts) {
          out.write(VerdictJson.write(null, v));
          out.write('\n');
        }
      }
      out.flush();
      return 0;
    } catch (InvalidSettingException e) {
      err.println("check: " + e.getMessage());
      return 2;
    } catch (IOException e) {
      err.println("check: " + e.getMessage());
      return 1;
    }
  }

  // Blank lines are skipped; a line is otherwise passed on exactly as given (the verdict echoes it).
  private static List<String> readLines(InputStream in) throws IOException {
    List<String> lines = new ArrayList<>();
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    String line;
    while ((line = reader.readLine()) != null) {
      if (!line.isBlank()) {
        lines.add(line);
      }
    }
    return lines;
  }

  private static String usage(List<Setting<?>> keys) {
    return "usage: scripts/check [options] [address ...]\n"
        + "Verifies each address (or each line of standard input) and prints one JSON verdict per line.\n\n"
        + "  --table                        print a table for people instead of JSON lines\n"
        + "  --help                         this text\n"
        + SettingValues.usage(keys);
  }
}
