package dev.saga.deploy;

import static org.awaitility.Awaitility.await;

import dev.saga.deploy.Dockerfile.Instruction;
import dev.saga.stack.Directories;
import dev.saga.stack.StackPorts;
import dev.saga.test.Infrastructure;
import dev.saga.test.TestMail;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.json.JsonMapper;

/**
 * A service laid out exactly as its image is built (the Dockerfile's COPY of the jar, its extract
 * command, its layer COPYs into the WORKDIR) and started with the image's ENTRYPOINT and CMD, its
 * ENV and the environment docker-compose.yml gives it, pointed at this JVM's real Kafka, PostgreSQL
 * and SMTP server instead of compose's hosts.
 */
final class ImageLayout {

  private static final Pattern COPY = Pattern.compile("(?:--\\S+\\s+)*(\\S+)\\s+(\\S+)");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final SagaService service;
  private final Path root;
  private final Path application;

  private ImageLayout(SagaService service, Path root, Path application) {
    this.service = service;
    this.root = root;
    this.application = application;
  }

  /** Builds the layout under {@code target/image-layout/<service>}. */
  static ImageLayout build(SagaService service, Dockerfile dockerfile) throws IOException {
    Path root = Path.of("target", "image-layout", service.id()).toAbsolutePath();
    Directories.deleteRecursively(root);
    Map<String, String> args = buildArgs(service);

    // Stage "layers": COPY <jar> app.jar into its WORKDIR, then RUN the extract command there.
    Dockerfile.Stage layers = dockerfile.stage("layers");
    Path build = root.resolve("build");
    Files.createDirectories(build);
    Instruction copyJar = layers.last("COPY").orElseThrow();
    Matcher jar = COPY.matcher(copyJar.arguments());
    if (!jar.matches()) {
      throw new IllegalStateException("Unreadable COPY: " + copyJar.arguments());
    }
    Path source = Repository.path(Dockerfile.substitute(jar.group(1), args));
    Files.copy(source, build.resolve(jar.group(2)));
    for (Instruction run : layers.all("RUN")) {
      List<String> command = new ArrayList<>(List.of(run.arguments().split("\\s+")));
      if (!command.getFirst().equals("java")) {
        throw new IllegalStateException("The layers stage may only RUN java: " + run.arguments());
      }
      JarTools.run(withJava(command), build);
    }

    // Final stage, in order: every COPY --from=layers <dir>/ ./ into its WORKDIR, and every RUN
    // java there (the AOT cache's training run).
    String layersWorkdir = layers.last("WORKDIR").orElseThrow().arguments();
    Path application = root.resolve("app");
    Files.createDirectories(application);
    for (Instruction instruction : dockerfile.finalStage().instructions()) {
      if (instruction.keyword().equals("RUN") && instruction.arguments().startsWith("java ")) {
        runAsInABuild(List.of(instruction.arguments().split("\\s+")), application);
      }
      if (!instruction.keyword().equals("COPY")
          || !instruction.arguments().startsWith("--from=layers")) {
        continue;
      }
      Matcher layer = COPY.matcher(instruction.arguments());
      if (!layer.matches() || !layer.group(2).equals("./")) {
        throw new IllegalStateException("Unreadable layer COPY: " + instruction.arguments());
      }
      Path from =
          build.resolve(Path.of(layersWorkdir).relativize(Path.of(layer.group(1))).toString());
      if (!Files.isDirectory(from)) {
        throw new IllegalStateException("The extract command made no " + from);
      }
      Directories.copyFiles(from, application);
    }
    return new ImageLayout(service, root, application);
  }

  /**
   * Runs a RUN instruction's {@code java} as {@code docker build} would: no environment but PATH
   * and HOME, and nothing to connect to. The database and broker addresses point at a port where
   * nothing listens, so that a step that needs either fails here as it would in the build, even on
   * a machine where something listens on the services' default ports.
   */
  private static void runAsInABuild(List<String> command, Path directory) {
    String nowhere = "127.0.0.1:" + StackPorts.freePort();
    ProcessBuilder builder =
        withOnly(
            new ProcessBuilder(withJava(command)).directory(directory.toFile()),
            directory.getParent(),
            Map.of(
                "DATABASE_URL",
                "jdbc:postgresql://" + nowhere + "/none",
                "KAFKA_BOOTSTRAP_SERVERS",
                nowhere));
    JarTools.run(builder, Duration.ofMinutes(5));
  }

  /**
   * A container's environment, not this JVM's: PATH, HOME and {@code environment}, nothing else.
   */
  private static ProcessBuilder withOnly(
      ProcessBuilder builder, Path home, Map<String, String> environment) {
    Map<String, String> variables = builder.environment();
    variables.clear();
    variables.put("PATH", System.getenv("PATH"));
    variables.put("HOME", home.toString());
    variables.putAll(environment);
    return builder;
  }

  /** The build arguments docker-compose.yml passes for {@code service}. */
  static Map<String, String> buildArgs(SagaService service) {
    Map<String, String> args = new LinkedHashMap<>();
    ComposeFile.map(
            ComposeFile.map(ComposeFile.read().service(service.id()).get("build")).get("args"))
        .forEach((key, value) -> args.put(key, String.valueOf(value)));
    return args;
  }

  Path application() {
    return application;
  }

  /**
   * Starts the service as its container would: the image's ENTRYPOINT + CMD ({@code java} replaced
   * by this JVM's), with {@code extraJvmOptions} after it when given (measurements only), under the
   * memory limit compose gives it.
   */
  Running start(Dockerfile dockerfile, List<String> extraJvmOptions) throws IOException {
    int port = StackPorts.freePort();
    Map<String, String> environment =
        new LinkedHashMap<>(dockerfile.environment(buildArgs(service)));
    ComposeFile compose = ComposeFile.read();
    // As docker compose interpolates with nothing set in the shell: ${NAME:-default} is default.
    compose
        .environment(service.id())
        .forEach(
            (name, value) ->
                environment.put(name, value.replaceAll("\\$\\{[A-Za-z0-9_]+:?-([^}]*)}", "$1")));
    Infrastructure infrastructure = Infrastructure.shared();
    // Compose's host names, replaced by this JVM's servers.
    environment.put("SERVER_PORT", String.valueOf(port));
    environment.put("DATABASE_URL", infrastructure.jdbcUrl(service.database()));
    environment.put("DATABASE_USERNAME", infrastructure.username());
    environment.put("DATABASE_PASSWORD", infrastructure.password());
    environment.put("KAFKA_BOOTSTRAP_SERVERS", infrastructure.kafkaBootstrapServers());
    if (environment.containsKey("SMTP_HOST")) {
      environment.put("SMTP_HOST", "127.0.0.1");
      environment.put("SMTP_PORT", String.valueOf(TestMail.server().getSmtp().getPort()));
    }
    List<String> java = withJava(dockerfile.command());
    java.addAll(1, extraJvmOptions);
    PodMemory memory =
        PodMemory.of(
            "saga-image-" + service.id() + "-" + ProcessHandle.current().pid(),
            compose.memoryLimit(service.id()));
    Path log = root.resolve("service.log");
    // Only what the image and compose set.
    ProcessBuilder builder =
        withOnly(
            new ProcessBuilder(memory.command(java))
                .directory(application.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile()),
            root,
            environment);
    try {
      return new Running(builder.start(), port, log, environment, memory);
    } catch (IOException | RuntimeException e) {
      memory.close();
      throw e;
    }
  }

  /** A started service process, and the memory limit it runs under. */
  record Running(
      Process process, int port, Path log, Map<String, String> environment, PodMemory memory)
      implements AutoCloseable {

    /** Waits until {@code path} answers 200, failing at once if the process ends. */
    Duration awaitOk(String path, Duration atMost) {
      long started = System.nanoTime();
      await()
          .atMost(atMost)
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                if (!process.isAlive()) {
                  throw new AssertionError(
                      "Exited with "
                          + process.exitValue()
                          + " before "
                          + path
                          + " answered 200:\n"
                          + tail());
                }
                return status(path) == 200;
              });
      return Duration.ofNanos(System.nanoTime() - started);
    }

    /** The first measurement of an actuator metric, e.g. {@code jvm.memory.max?tag=area:heap}. */
    Optional<Double> metric(String query) {
      try {
        HttpRequest request =
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/actuator/metrics/" + query))
                .timeout(Duration.ofSeconds(5))
                .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404) {
          return Optional.empty();
        }
        if (response.statusCode() != 200) {
          throw new IllegalStateException(query + ": HTTP " + response.statusCode());
        }
        return Optional.of(
            JSON.readTree(response.body()).get("measurements").get(0).get("value").asDouble());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    int status(String path) {
      try {
        HttpRequest request =
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      } catch (IOException e) {
        return -1;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return -1;
      }
    }

    String tail() {
      try {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
      } catch (IOException e) {
        return "(no log: " + e + ")";
      }
    }

    /** Its resident set now, in bytes, from /proc. */
    long residentBytes() throws IOException {
      for (String line :
          Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) << 10;
        }
      }
      throw new IllegalStateException("No VmRSS for " + process.pid());
    }

    /** Kills the process if it still runs, and removes its memory limit. */
    @Override
    public void close() throws IOException {
      process.destroyForcibly();
      try {
        process.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      memory.close();
    }
  }

  private static List<String> withJava(List<String> command) {
    List<String> result = new ArrayList<>(command);
    if (!result.getFirst().equals("java")) {
      throw new IllegalStateException("Expected the command to start with java: " + command);
    }
    result.set(0, JarTools.java().toString());
    return result;
  }
}
