package io.mailprobe.pipeline.intel;

/** A reference list that cannot be used as it is; the message names the file and line. */
public final class ListFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ListFormatException(String location, int line, String problem) {
    super(location + ":" + line + ": " + problem);
  }

  public ListFormatException(String location, String problem, Throwable cause) {
    super(location + ": " + problem, cause);
  }
}
