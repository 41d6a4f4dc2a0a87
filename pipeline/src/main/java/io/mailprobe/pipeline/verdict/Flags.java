package io.mailprobe.pipeline.verdict;

/** Facts about an address that hold whatever its status (DESIGN §2 {@code flags}). */
public record Flags(
    boolean role,
    boolean disposable,
    boolean freeProvider,
    boolean catchAll,
    boolean greylisted,
    boolean full,
    boolean disabled) {

  public static final Flags NONE = new Flags(false, false, false, false, false, false, false);

  public Flags withRole(boolean v) {
    return new Flags(v, disposable, freeProvider, catchAll, greylisted, full, disabled);
  }

  public Flags withDisposable(boolean v) {
    return new Flags(role, v, freeProvider, catchAll, greylisted, full, disabled);
  }

  public Flags withFreeProvider(boolean v) {
    return new Flags(role, disposable, v, catchAll, greylisted, full, disabled);
  }

  public Flags withCatchAll(boolean v) {
    return new Flags(role, disposable, freeProvider, v, greylisted, full, disabled);
  }

  public Flags withGreylisted(boolean v) {
    return new Flags(role, disposable, freeProvider, catchAll, v, full, disabled);
  }

  public Flags withFull(boolean v) {
    return new Flags(role, disposable, freeProvider, catchAll, greylisted, v, disabled);
  }

  public Flags withDisabled(boolean v) {
    return new Flags(role, disposable, freeProvider, catchAll, greylisted, full, v);
  }
}
