package io.mailprobe.pipeline.intel;

import java.util.EnumMap;
import java.util.Map;

/** Where each reference list is read from: the bundled file unless overridden by a path or URL. */
public record ListSources(Map<ListName, ListLocation> overrides) {

  public ListSources {
    overrides = overrides.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(overrides));
  }

  /** Every list from the bundled files. */
  public static ListSources bundled() {
    return new ListSources(Map.of());
  }

  /** A copy that reads {@code list} from {@code pathOrUrl}. */
  public ListSources with(ListName list, String pathOrUrl) {
    return with(list, ListLocation.of(pathOrUrl));
  }

  /** A copy that reads {@code list} from {@code location}. */
  public ListSources with(ListName list, ListLocation location) {
    Map<ListName, ListLocation> copy = new EnumMap<>(ListName.class);
    copy.putAll(overrides);
    copy.put(list, location);
    return new ListSources(copy);
  }

  /** Where {@code list} is read from. */
  public ListLocation location(ListName list) {
    ListLocation override = overrides.get(list);
    return override != null ? override : ListLocation.bundled(list.bundledFile());
  }
}
