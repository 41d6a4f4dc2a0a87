package io.mailprobe.pipeline.intel;

import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a reference list is read from: a resource shipped with mailprobe, a file, or a URL.
 *
 * @param name how the location is shown in errors and provenance (resource name, path or URL)
 */
public record ListLocation(String name, URL url) {

  private static final int TIMEOUT_MILLIS = 15_000;
  private static final String RESOURCE_FOLDER = "/io/mailprobe/pipeline/intel/";

  public ListLocation {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(url, "url");
  }

  /** A list shipped in this jar under io/mailprobe/pipeline/intel/. */
  public static ListLocation bundled(String fileName) {
    URL url = ListLocation.class.getResource(RESOURCE_FOLDER + fileName);
    if (url == null) {
      throw new IllegalArgumentException("no bundled list " + fileName);
    }
    return new ListLocation("bundled:" + fileName, url);
  }

  /** A path, or a URL when the text has a scheme such as https: or file:. */
  public static ListLocation of(String pathOrUrl) {
    Objects.requireNonNull(pathOrUrl, "pathOrUrl");
    // "C:\lists\x.txt" has a one-letter "scheme": treat anything shorter than two letters before ':' as a path.
    int colon = pathOrUrl.indexOf(':');
    if (colon > 1 && pathOrUrl.substring(0, colon).chars().allMatch(Character::isLetter)) {
      try {
        return new ListLocation(pathOrUrl, URI.create(pathOrUrl).toURL());
      } catch (IllegalArgumentException | MalformedURLException e) {
        throw new IllegalArgumentException("not a usable URL: " + pathOrUrl, e);
      }
    }
    return of(Path.of(pathOrUrl));
  }

  /** A file on disk. */
  public static ListLocation of(Path path) {
    try {
      return new ListLocation(path.toString(), path.toUri().toURL());
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException("not a usable path: " + path, e);
    }
  }

  /** Opens the list; URLs get bounded connect and read timeouts, since this runs at startup. */
  InputStream open() throws IOException {
    URLConnection connection = url.openConnection();
    connection.setConnectTimeout(TIMEOUT_MILLIS);
    connection.setReadTimeout(TIMEOUT_MILLIS);
    return connection.getInputStream();
  }

  @Override
  public String toString() {
    return name;
  }
}
