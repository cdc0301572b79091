package dev.saga.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The shell scripts parse, and the measurement script, which CI does not run, answers the commands
 * the documents give for it.
 */
class ScriptsTests {

  private static final List<String> DOCUMENTS =
      List.of("README.md", "BENCHMARKS.md", "RELIABILITY.md", "docs/docker.md", "k8s/README.md");

  @Test
  void everyShellScriptParses() throws Exception {
    List<Path> scripts;
    try (Stream<Path> files = Files.walk(Repository.root())) {
      scripts =
          files
              .filter(path -> path.toString().endsWith(".sh"))
              .filter(path -> !path.toString().contains("/target/"))
              .filter(path -> !path.toString().contains("/.git/"))
              .filter(path -> !path.toString().contains("/node_modules/"))
              .toList();
    }
    assertThat(scripts)
        .extracting(path -> Repository.root().relativize(path).toString())
        .contains("run-local.sh", "load-test.sh", "scripts/benchmark.sh", "docker/healthcheck.sh");
    for (Path script : scripts) {
      Run parsed = run("bash", "-n", script.toString());
      assertThat(parsed.exit()).as("bash -n %s%n%s", script, parsed.out()).isZero();
    }
  }

  @Test
  void theBenchmarkScriptHasEveryModeTheDocumentsRunAndRefusesOthersBeforeItBuilds()
      throws Exception {
    Run help = run("bash", "scripts/benchmark.sh", "help");
    assertThat(help.exit()).as(help.out()).isZero();
    Matcher modes = Pattern.compile("scripts/benchmark\\.sh \\[([a-z|]+)\\]").matcher(help.out());
    assertThat(modes.find()).as(help.out()).isTrue();
    Set<String> known = Set.of(modes.group(1).split("\\|"));

    Set<String> documented = new TreeSet<>();
    Pattern command = Pattern.compile("scripts/benchmark\\.sh ([a-z]+)");
    for (String document : DOCUMENTS) {
      Matcher used = command.matcher(Repository.read(document));
      while (used.find()) {
        documented.add(used.group(1));
      }
    }
    assertThat(documented).isNotEmpty();
    assertThat(known).containsAll(documented);

    Run unknown = run("bash", "scripts/benchmark.sh", "lod");
    assertThat(unknown.exit()).isEqualTo(64);
    assertThat(unknown.out()).startsWith("Usage: scripts/benchmark.sh [");
    Path results = Repository.path("benchmark-results");
    if (Files.isDirectory(results)) {
      try (Stream<Path> runs = Files.list(results)) {
        assertThat(runs).noneMatch(run -> run.getFileName().toString().endsWith("-lod"));
      }
    }
  }

  private record Run(int exit, String out) {}

  private static Run run(String... command) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(new ArrayList<>(List.of(command)))
            .directory(Repository.root().toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
    return new Run(process.exitValue(), out);
  }
}
