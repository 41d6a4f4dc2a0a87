package io.mailprobe.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailprobe.pipeline.config.Setting;
import io.mailprobe.pipeline.config.VerificationSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's configuration table is the one documented home of the keys: every key is there with its default. */
class ConfigurationDocumentationTest {

  @Test
  void everyKeyIsDocumentedWithItsDefault() throws Exception {
    List<String> rows =
        Files.readAllLines(Path.of("..", "README.md")).stream().filter(l -> l.startsWith("| `")).toList();
    for (Setting<?> key : JobConfig.keys()) {
      if (VerificationSettings.LISTS.containsValue(key)) {
        assertThat(rows).as("README row naming list key %s", key.key()).anyMatch(r -> r.contains("`" + key.key() + "`"));
        continue;
      }
      String row = rows.stream().filter(r -> r.startsWith("| `" + key.key() + "` |")).findFirst().orElse(null);
      assertThat(row).as("README row for --%s", key.key()).isNotNull();
      if (key.defaultText() != null && !key.defaultText().isEmpty()) {
        assertThat(row.split("\\|")[2]).as("default of --%s in the README", key.key()).contains("`" + key.defaultText() + "`");
      }
    }
  }
}
