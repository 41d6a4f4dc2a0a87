package io.mailprobe.pipeline.intel;

import io.mailprobe.pipeline.address.AddressParser;
import io.mailprobe.pipeline.address.EmailAddress;
import io.mailprobe.pipeline.address.ParsedAddress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test fixtures: list files written to a temp folder, and parsed addresses. */
final class ListFiles {

  static final String HEADER = "# source: unit test\n# version: test-1\n";

  private ListFiles() {}

  static ListLocation write(Path dir, String name, String content) {
    try {
      Path file = dir.resolve(name);
      Files.writeString(file, content);
      return ListLocation.of(file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static EmailAddress address(String input) {
    return ((ParsedAddress.Valid) AddressParser.parse(input)).address();
  }
}
