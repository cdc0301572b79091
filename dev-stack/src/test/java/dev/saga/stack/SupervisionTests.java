package dev.saga.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SupervisionTests {

  @TempDir Path baseDir;

  private final List<ProcessExit> exits = new CopyOnWriteArrayList<>();
  private final ByteArrayOutputStream output = new ByteArrayOutputStream();
  private LocalStack stack;

  @AfterEach
  void closeStack() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void reportsAChildThatDiesAndKeepsTheOthersRunning() throws Exception {
    stack = fakeStack("fake-a", "fake-b");
    stack.startServices();

    exit(stack.service("fake-a"), 3);

    await().atMost(Duration.ofSeconds(30)).until(() -> !exits.isEmpty());
    ProcessExit exit = exits.get(0);
    assertThat(exit.name()).isEqualTo("fake-a");
    assertThat(exit.exitCode()).isEqualTo(3);
    assertThat(exit.logFile()).isEqualTo(baseDir.resolve("logs/fake-a.log"));
    assertThat(exit.logFile()).content().contains("fake service listening");
    assertThat(printed())
        .contains("fake-a exited unexpectedly with code 3")
        .contains(exit.logFile().toString())
        .contains("start it again with: restart fake-a");
    assertThat(stack.service("fake-b").isAlive()).isTrue();
    assertThat(stack.service("fake-b").isReady()).isTrue();
    assertThat(exits).hasSize(1);
  }

  @Test
  void aServiceThatDiedCanBeStartedAgainOnItsOwn() {
    stack = fakeStack("fake-a");
    stack.startServices();
    ServiceProcess service = stack.service("fake-a");
    long firstPid = service.pid().orElseThrow();

    exit(service, 1);
    await().atMost(Duration.ofSeconds(30)).until(() -> !service.isAlive());
    service.start();
    service.awaitReady(Duration.ofSeconds(30));

    assertThat(service.pid()).isPresent().get().isNotEqualTo(firstPid);
    assertThat(service.isReady()).isTrue();
  }

  @Test
  void stopAndKillAreNotReportedAsUnexpected() {
    stack = fakeStack("fake-a", "fake-b");
    stack.startServices();

    stack.service("fake-a").stop();
    stack.service("fake-b").kill();

    assertThat(stack.service("fake-a").isAlive()).isFalse();
    assertThat(stack.service("fake-b").isAlive()).isFalse();
    // SIGKILL shows as 128 + 9.
    assertThat(stack.service("fake-b").exitCode()).contains(137);
    assertThat(exits).isEmpty();
    assertThat(printed()).doesNotContain("unexpectedly");
  }

  @Test
  void closeLeavesNoDescendantProcessesOfThisJvm() {
    stack =
        fakeStack(
            List.of(
                ServiceDefinition.command("fake-a", fakeCommand("--with-grandchild")),
                ServiceDefinition.command("fake-b", fakeCommand())));
    stack.startServices();
    assertThat(stack.service("fake-a").isReady()).isTrue();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> aliveDescendants().stream().anyMatch(p -> command(p).contains("sleep")));
    // Remembered now: a grandchild orphaned by its parent's exit is no descendant any more.
    List<ProcessHandle> family = aliveDescendants();

    stack.close();

    assertThat(family).hasSizeGreaterThanOrEqualTo(3).noneMatch(ProcessHandle::isAlive);
    assertThat(aliveDescendants()).isEmpty();
    assertThat(exits).isEmpty();
  }

  @Test
  void aJvmChildExitsWhenItsSupervisorIsGone() throws Exception {
    Process supervisor = new ProcessBuilder("sleep", "600").start();
    String agent = AgentJar.parentWatchOption(baseDir, supervisor.pid());
    ProcessBuilder builder =
        new ProcessBuilder(
                Platform.javaExecutable(), agent, "-cp", testClasses(), FakeService.class.getName())
            .redirectErrorStream(true)
            .redirectOutput(baseDir.resolve("orphan.log").toFile());
    builder.environment().put("SERVER_PORT", Integer.toString(Platform.freePort()));
    Process child = builder.start();
    try {
      supervisor.destroyForcibly().waitFor();

      assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(child.exitValue()).isEqualTo(143);
      assertThat(baseDir.resolve("orphan.log")).content().contains("Supervisor");
    } finally {
      child.destroyForcibly();
    }
  }

  @Test
  void aWatchdogSignalsItsTargetWhenTheSupervisorIsGone() throws Exception {
    Process supervisor = new ProcessBuilder("sleep", "600").start();
    Process target = new ProcessBuilder("sleep", "600").start();
    Process watchdog = Watchdog.start(supervisor.pid(), target.pid(), "INT");
    try {
      supervisor.destroyForcibly().waitFor();

      assertThat(target.waitFor(30, TimeUnit.SECONDS)).isTrue();
      // SIGINT shows as 128 + 2.
      assertThat(target.exitValue()).isEqualTo(130);
      assertThat(watchdog.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      target.destroyForcibly();
      watchdog.destroyForcibly();
    }
  }

  @Test
  void aWatchdogLeavesItsTargetAloneWhileTheSupervisorLives() throws Exception {
    Process target = new ProcessBuilder("sleep", "600").start();
    Process watchdog = Watchdog.start(ProcessHandle.current().pid(), target.pid(), "INT");
    try {
      assertThat(watchdog.waitFor(3, TimeUnit.SECONDS)).isFalse();
      assertThat(target.isAlive()).isTrue();

      target.destroyForcibly().waitFor();

      assertThat(watchdog.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      target.destroyForcibly();
      watchdog.destroyForcibly();
    }
  }

  private LocalStack fakeStack(String... names) {
    List<ServiceDefinition> services = new ArrayList<>();
    for (String name : names) {
      services.add(ServiceDefinition.command(name, fakeCommand()));
    }
    return fakeStack(services);
  }

  private LocalStack fakeStack(List<ServiceDefinition> services) {
    return LocalStack.builder()
        .baseDir(baseDir)
        .ports(StackPorts.free())
        .components()
        .services(services.toArray(ServiceDefinition[]::new))
        .serviceStartTimeout(Duration.ofSeconds(60))
        .out(new PrintStream(output, true, StandardCharsets.UTF_8))
        .onUnexpectedExit(exits::add)
        .restartHint(name -> "restart " + name)
        .build();
  }

  private static List<String> fakeCommand(String... arguments) {
    List<String> command = new ArrayList<>();
    command.addAll(
        List.of(Platform.javaExecutable(), "-cp", testClasses(), FakeService.class.getName()));
    command.addAll(List.of(arguments));
    return command;
  }

  private static String testClasses() {
    try {
      return Path.of(FakeService.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void exit(ServiceProcess service, int code) {
    try {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(service.baseUrl() + "/exit?code=" + code))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<ProcessHandle> aliveDescendants() {
    return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList();
  }

  private static String command(ProcessHandle process) {
    return process.info().commandLine().orElse("");
  }

  private String printed() {
    return output.toString(StandardCharsets.UTF_8);
  }
}
