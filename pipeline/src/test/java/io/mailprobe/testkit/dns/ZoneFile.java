package io.mailprobe.testkit.dns;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A deliberately small zone text format, one record per line, for scripts that start an
 * {@link AuthoritativeDnsServer} for a demo world:
 *
 * <pre>
 * # comment
 * $TTL 300                               TTL of the records below (seconds)
 * $NEGATIVE_TTL 60                       TTL of NXDOMAIN / NODATA answers
 * example.test      MX    10 mx1.example.test
 * mx1.example.test  A     127.0.0.1
 * mx1.example.test  AAAA  ::1
 * www.example.test  CNAME example.test
 * nomail.test       MX    0 .            (a null MX)
 * example.test      TXT   v=spf1 -all    (the rest of the line)
 * broken.test       SERVFAIL
 * shut.test         REFUSED
 * hole.test         SILENT
 * </pre>
 */
public final class ZoneFile {
  private ZoneFile() {}

  /** Adds the records of a file to a zone. */
  public static void load(Path file, Zone zone) throws IOException {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      load(reader, zone, file.toString());
    }
  }

  /** Adds the records of zone text to a zone. */
  public static void load(String text, Zone zone) {
    try {
      load(new StringReader(text), zone, "zone text");
    } catch (IOException e) {
      throw new IllegalStateException("reading a string failed", e);
    }
  }

  private static void load(Reader reader, Zone zone, String source) throws IOException {
    BufferedReader lines = new BufferedReader(reader);
    String line;
    int number = 0;
    while ((line = lines.readLine()) != null) {
      number++;
      String content = line.strip();
      if (content.isEmpty() || content.startsWith("#")) {
        continue;
      }
      try {
        apply(content, zone);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(source + " line " + number + ": " + e.getMessage() + ": " + line, e);
      }
    }
  }

  private static void apply(String line, Zone zone) {
    String[] parts = line.split("\\s+", 3);
    if (parts[0].equalsIgnoreCase("$TTL")) {
      zone.ttl(seconds(parts));
      return;
    }
    if (parts[0].equalsIgnoreCase("$NEGATIVE_TTL")) {
      zone.negativeTtl(seconds(parts));
      return;
    }
    if (parts.length < 2) {
      throw new IllegalArgumentException("expected 'name TYPE data'");
    }
    String name = parts[0];
    String type = parts[1].toUpperCase(Locale.ROOT);
    String data = parts.length > 2 ? parts[2].strip() : "";
    switch (type) {
      case "MX":
        String[] mx = data.split("\\s+");
        if (mx.length != 2) {
          throw new IllegalArgumentException("MX needs 'preference host'");
        }
        zone.mx(name, number(mx[0], "MX preference"), mx[1]);
        break;
      case "A":
        zone.a(name, required(data, type));
        break;
      case "AAAA":
        zone.aaaa(name, required(data, type));
        break;
      case "CNAME":
        zone.cname(name, required(data, type));
        break;
      case "TXT":
        zone.txt(name, required(data, type));
        break;
      case "SERVFAIL":
        zone.servfail(name);
        break;
      case "REFUSED":
        zone.refused(name);
        break;
      case "SILENT":
        zone.silent(name);
        break;
      default:
        throw new IllegalArgumentException("unsupported type " + parts[1]);
    }
  }

  private static String required(String data, String type) {
    if (data.isEmpty()) {
      throw new IllegalArgumentException(type + " needs data");
    }
    return data;
  }

  private static long seconds(String[] parts) {
    if (parts.length < 2) {
      throw new IllegalArgumentException("missing seconds");
    }
    return number(parts[1].strip(), "TTL");
  }

  private static int number(String text, String what) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + " '" + text + "' is not a number");
    }
  }
}
