package io.mailprobe.jobs.local;

import java.io.PrintStream;

/**
 * The local run's live progress on standard error: rewritten in place every second on a terminal, and one plain
 * line every ten seconds otherwise, so that a log file does not fill with carriage returns.
 */
final class ProgressLine {

  private static final int TICKS_PER_PLAIN_LINE = 10;

  private final PrintStream err;
  private final boolean terminal;
  private int ticks;
  private boolean shown;
  private String last;

  ProgressLine(PrintStream err, boolean terminal) {
    this.err = err;
    this.terminal = terminal;
  }

  /**
   * Progress on {@code err}; whether it is a terminal comes from {@code -Dmailprobe.stderr.terminal} (scripts/run
   * tests {@code [ -t 2 ]}: Java 17 can only tell whether standard input and output are one).
   */
  static ProgressLine forStderr(PrintStream err) {
    String said = System.getProperty("mailprobe.stderr.terminal");
    return new ProgressLine(err, said != null ? Boolean.parseBoolean(said) : System.console() != null);
  }

  /** Shows the latest line: in place on a terminal, else every tenth call. */
  void show(String line) {
    last = line;
    if (terminal) {
      err.print("\r" + line + "\033[K");
      shown = true;
    } else if (ticks % TICKS_PER_PLAIN_LINE == 0) {
      err.println(line);
    }
    ticks++;
    err.flush();
  }

  /** Ends the in-place line so the next message starts on its own line; off a terminal, shows the last counts. */
  void end() {
    if (terminal && shown) {
      err.println();
      shown = false;
    } else if (!terminal && last != null) {
      err.println(last);
    }
    err.flush();
  }
}
