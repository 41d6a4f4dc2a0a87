package io.mailprobe.pipeline.config;

/** A configuration value or argument that cannot be used; the message is meant for the person who typed it. */
public final class InvalidSettingException extends IllegalArgumentException {
  public InvalidSettingException(String message) {
    super(message);
  }

  public InvalidSettingException(String message, Throwable cause) {
    super(message, cause);
  }
}
