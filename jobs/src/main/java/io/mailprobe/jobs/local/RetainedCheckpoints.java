package io.mailprobe.jobs.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The checkpoints a local run left behind in its checkpoint directory: Flink writes each job's under
 * {@code <dir>/<job id>/chk-<n>/}, and a checkpoint is complete once its {@code _metadata} file exists. Every run is a
 * new job with a new id, so the newest complete checkpoint of any job is where the next run resumes.
 */
public final class RetainedCheckpoints {

  private RetainedCheckpoints() {}

  /** The newest complete checkpoint under {@code checkpointDir}, if any: the latest _metadata, then the highest n. */
  public static Optional<Path> latest(Path checkpointDir) {
    if (!Files.isDirectory(checkpointDir)) {
      return Optional.empty();
    }
    try (Stream<Path> jobs = Files.list(checkpointDir)) {
      return jobs.filter(Files::isDirectory)
          .flatMap(RetainedCheckpoints::completeCheckpoints)
          .max(Comparator.comparing(RetainedCheckpoints::written).thenComparingLong(RetainedCheckpoints::number));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + checkpointDir, e);
    }
  }

  private static Stream<Path> completeCheckpoints(Path jobDir) {
    try (Stream<Path> entries = Files.list(jobDir)) {
      return entries
          .filter(p -> p.getFileName().toString().matches("chk-\\d+"))
          .filter(p -> Files.isRegularFile(p.resolve("_metadata")))
          .toList()
          .stream();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + jobDir, e);
    }
  }

  private static FileTime written(Path checkpoint) {
    try {
      return Files.getLastModifiedTime(checkpoint.resolve("_metadata"));
    } catch (IOException e) {
      return FileTime.fromMillis(0);
    }
  }

  private static long number(Path checkpoint) {
    return Long.parseLong(checkpoint.getFileName().toString().substring("chk-".length()));
  }
}
