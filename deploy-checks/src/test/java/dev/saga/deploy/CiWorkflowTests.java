package dev.saga.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** GitHub Actions runs the very command CI runs here, on a JDK 25. */
class CiWorkflowTests {

  @Test
  void theWorkflowRunsTheCiScriptOnJava25() {
    Map<String, Object> workflow = new Yaml().load(Repository.read(".github/workflows/ci.yml"));
    Map<String, Object> jobs = ComposeFile.map(workflow.get("jobs"));
    assertThat(jobs).hasSize(1);
    Map<String, Object> job = ComposeFile.map(jobs.values().iterator().next());
    assertThat((String) job.get("runs-on")).startsWith("ubuntu");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> steps = (List<Map<String, Object>>) job.get("steps");
    assertThat(steps)
        .anySatisfy(
            step -> {
              assertThat((String) step.get("uses")).startsWith("actions/setup-java@");
              assertThat(ComposeFile.map(step.get("with"))).containsEntry("java-version", "25");
            });
    assertThat(steps).anySatisfy(step -> assertThat(step.get("run")).isEqualTo("bash .ci/run"));
    assertThat(Repository.read(".ci/run")).contains("./mvnw");
  }
}
