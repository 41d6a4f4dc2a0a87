package io.mailprobe.pipeline.intel;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A reference list as read: its header and its entry lines. Every list shares this format: '#' starts a comment,
 * blank lines are ignored, and the leading comment block must hold {@code # source: ...} and
 * {@code # version: ...} lines.
 */
record ListFile(ListProvenance provenance, List<Line> lines) {

  /** One entry line, comment and surrounding blanks removed. */
  record Line(int number, String text) {}

  ListFile {
    lines = List.copyOf(lines);
  }

  static ListFile read(ListLocation location) {
    String source = null;
    String version = null;
    List<Line> lines = new ArrayList<>();
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(location.open(), StandardCharsets.UTF_8))) {
      String raw;
      int number = 0;
      while ((raw = reader.readLine()) != null) {
        number++;
        if (number == 1 && !raw.isEmpty() && raw.charAt(0) == '\uFEFF') {
          raw = raw.substring(1);
        }
        String text = raw.strip();
        if (text.startsWith("#")) {
          if (lines.isEmpty()) {
            String header = text.substring(1).strip();
            String lower = header.toLowerCase(Locale.ROOT);
            if (lower.startsWith("source:")) {
              source = header.substring("source:".length()).strip();
            } else if (lower.startsWith("version:")) {
              version = header.substring("version:".length()).strip();
            }
          }
          continue;
        }
        int comment = text.indexOf(" #");
        if (comment >= 0) {
          text = text.substring(0, comment).strip();
        }
        if (!text.isEmpty()) {
          lines.add(new Line(number, text));
        }
      }
    } catch (IOException e) {
      throw new ListFormatException(location.name(), "cannot read: " + e, e);
    }
    if (source == null || source.isEmpty()) {
      throw new ListFormatException(location.name(), 1, "missing '# source: ...' header line");
    }
    if (version == null || version.isEmpty()) {
      throw new ListFormatException(location.name(), 1, "missing '# version: ...' header line");
    }
    return new ListFile(new ListProvenance(location.name(), source, version), lines);
  }

  ListFormatException problem(Line line, String problem) {
    return new ListFormatException(provenance.location(), line.number(), problem);
  }

  /** The line as a lower-case A-label domain name, or an error naming the line. */
  String domain(Line line) {
    return domain(line, line.text());
  }

  String domain(Line line, String text) {
    String domain = text.toLowerCase(Locale.ROOT);
    String problem = DomainNames.problem(domain);
    if (problem != null) {
      throw problem(line, "'" + text + "' is not a domain name: " + problem);
    }
    return domain;
  }
}
