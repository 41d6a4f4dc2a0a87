package io.mailprobe.pipeline.intel;

/**
 * Where a loaded list came from, taken from its header, so that verdicts can be traced to the data behind them.
 *
 * @param location the resource, path or URL it was read from
 * @param source the {@code # source:} header: who publishes the data
 * @param version the {@code # version:} header: commit, release or date of the data
 */
public record ListProvenance(String location, String source, String version) {}
