package dev.saga.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The repository's Dockerfile, read as its instructions, stage by stage. */
record Dockerfile(List<Stage> stages) {

  private static final Pattern FROM =
      Pattern.compile("(?i)FROM\\s+(?:--platform=\\S+\\s+)?(\\S+)(?:\\s+AS\\s+(\\S+))?");

  /** One instruction: its keyword (upper case) and its arguments as written. */
  record Instruction(String keyword, String arguments) {}

  /** One build stage: its base image, its name (if any) and its instructions. */
  record Stage(String image, String name, List<Instruction> instructions) {

    List<Instruction> all(String keyword) {
      return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    Optional<Instruction> last(String keyword) {
      List<Instruction> found = all(keyword);
      return found.isEmpty() ? Optional.empty() : Optional.of(found.getLast());
    }
  }

  static Dockerfile read() {
    return parse(Repository.read("Dockerfile"));
  }

  static Dockerfile parse(String text) {
    List<Instruction> instructions = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : text.split("\n")) {
      String trimmed = line.strip();
      if (current.isEmpty() && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
        continue;
      }
      if (!current.isEmpty() && trimmed.startsWith("#")) {
        continue;
      }
      if (trimmed.endsWith("\\")) {
        current.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      current.append(trimmed);
      String full = current.toString().strip();
      current.setLength(0);
      int space = full.indexOf(' ');
      instructions.add(
          new Instruction(
              full.substring(0, space).toUpperCase(java.util.Locale.ROOT),
              full.substring(space + 1).strip()));
    }
    Map<String, String> globalArgs = new LinkedHashMap<>();
    List<Stage> stages = new ArrayList<>();
    List<Instruction> stageInstructions = null;
    for (Instruction instruction : instructions) {
      if (instruction.keyword().equals("FROM")) {
        Matcher from = FROM.matcher("FROM " + instruction.arguments());
        if (!from.matches()) {
          throw new IllegalArgumentException("Unreadable FROM: " + instruction.arguments());
        }
        stageInstructions = new ArrayList<>();
        stages.add(
            new Stage(substitute(from.group(1), globalArgs), from.group(2), stageInstructions));
      } else if (stageInstructions == null) {
        if (instruction.keyword().equals("ARG")) {
          String[] arg = instruction.arguments().split("=", 2);
          globalArgs.put(arg[0], arg.length > 1 ? arg[1] : "");
        }
      } else {
        stageInstructions.add(instruction);
      }
    }
    return new Dockerfile(List.copyOf(stages));
  }

  Stage finalStage() {
    return stages.getLast();
  }

  Stage stage(String name) {
    return stages.stream()
        .filter(stage -> name.equals(stage.name()))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("No stage " + name));
  }

  /** The final stage's ENTRYPOINT followed by its CMD, both required in exec (JSON) form. */
  List<String> command() {
    List<String> command = new ArrayList<>(execForm(finalStage().last("ENTRYPOINT")));
    command.addAll(execForm(finalStage().last("CMD")));
    return command;
  }

  /**
   * The options of the image's {@code java} but its AOT cache, which is the image's own: the JVM
   * that trains the cache and the local stack's JVMs have the others.
   */
  List<String> jvmOptionsButTheCache() {
    List<String> command = command();
    return command.subList(1, command.indexOf("-jar")).stream()
        .filter(option -> !option.startsWith("-XX:AOTCache="))
        .toList();
  }

  /** The AOT cache file the image's {@code java} maps ({@code -XX:AOTCache=}). */
  String aotCache() {
    return option(command(), "-XX:AOTCache=")
        .orElseThrow(() -> new AssertionError("The image's java maps no AOT cache"));
  }

  /** The value of {@code prefix}'s option in {@code command}, if there. */
  static Optional<String> option(List<String> command, String prefix) {
    return command.stream()
        .filter(option -> option.startsWith(prefix))
        .map(option -> option.substring(prefix.length()))
        .findFirst();
  }

  /** The share of the memory limit the image's {@code java} takes as its heap at most. */
  double heapShare() {
    return option(command(), "-XX:MaxRAMPercentage=")
            .map(Double::parseDouble)
            .orElseThrow(() -> new AssertionError("The image's java has no -XX:MaxRAMPercentage"))
        / 100;
  }

  /** The final stage's environment, with build arguments substituted. */
  Map<String, String> environment(Map<String, String> buildArgs) {
    Map<String, String> environment = new LinkedHashMap<>();
    for (Instruction env : finalStage().all("ENV")) {
      for (String assignment : env.arguments().split("\\s+")) {
        String[] pair = assignment.split("=", 2);
        if (pair.length != 2) {
          throw new IllegalArgumentException("Use ENV NAME=value: " + env.arguments());
        }
        environment.put(pair[0], substitute(pair[1], buildArgs));
      }
    }
    return environment;
  }

  static List<String> execForm(Optional<Instruction> instruction) {
    if (instruction.isEmpty()) {
      return List.of();
    }
    String arguments = instruction.get().arguments();
    if (!arguments.startsWith("[")) {
      throw new IllegalArgumentException(
          instruction.get().keyword()
              + " must use the exec (JSON) form so signals reach the JVM: "
              + arguments);
    }
    return JsonMapper.builder().build().readValue(arguments, new TypeReference<List<String>>() {});
  }

  static String substitute(String value, Map<String, String> args) {
    Matcher matcher = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)}?").matcher(value);
    StringBuilder result = new StringBuilder();
    while (matcher.find()) {
      String replacement = args.get(matcher.group(1));
      if (replacement == null) {
        throw new IllegalArgumentException("No value for ${" + matcher.group(1) + "} in " + value);
      }
      matcher.appendReplacement(result, Matcher.quoteReplacement(replacement));
    }
    matcher.appendTail(result);
    return result.toString();
  }
}
