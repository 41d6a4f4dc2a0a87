package io.mailprobe.jobs.local;

import sun.misc.Signal;

/**
 * Ctrl-C and {@code kill} for the local run. A signal handler rather than a shutdown hook: the run must cancel the
 * job, wait for it and close the broker before it exits, and exit 0, which a JVM shutting down on SIGINT would not.
 */
final class StopSignals {

  private StopSignals() {}

  /** Calls {@code stop} on SIGINT or SIGTERM instead of ending the JVM. */
  static void onInterruptOrTerminate(Runnable stop) {
    for (String name : new String[] {"INT", "TERM"}) {
      Signal.handle(new Signal(name), signal -> stop.run());
    }
  }
}
