package io.mailprobe.pipeline.intel;

/** A list loaded from a versioned data file, which says where it came from (DESIGN §5). */
public interface ReferenceList {

  /** Where the list was read from, and the source and version its header gives. */
  ListProvenance provenance();

  default String source() {
    return provenance().source();
  }

  default String version() {
    return provenance().version();
  }
}
