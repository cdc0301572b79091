package dev.saga.deploy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * docker-compose.yml as Compose loads it (anchors and merge keys resolved): the services with their
 * settings, as plain maps.
 */
final class ComposeFile {

  private final Map<String, Object> model;

  private ComposeFile(Map<String, Object> model) {
    this.model = model;
  }

  static ComposeFile read() {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    Map<String, Object> model =
        new Yaml(new SafeConstructor(options)).load(Repository.read("docker-compose.yml"));
    return new ComposeFile(model);
  }

  Map<String, Object> model() {
    return model;
  }

  Set<String> serviceNames() {
    return services().keySet();
  }

  Map<String, Object> service(String name) {
    Map<String, Object> service = map(services().get(name));
    if (service == null) {
      throw new AssertionError("docker-compose.yml has no service " + name);
    }
    return service;
  }

  /** A service's environment as names and string values (list or map form). */
  Map<String, String> environment(String name) {
    Object environment = service(name).get("environment");
    Map<String, String> result = new LinkedHashMap<>();
    if (environment instanceof Map<?, ?> entries) {
      entries.forEach(
          (key, value) -> result.put(key.toString(), value == null ? null : value.toString()));
    } else if (environment instanceof List<?> entries) {
      for (Object entry : entries) {
        String[] pair = entry.toString().split("=", 2);
        result.put(pair[0], pair.length > 1 ? pair[1] : null);
      }
    }
    return result;
  }

  /** A service's {@code mem_limit}, in bytes; it must be written in MiB ({@code 768m}). */
  long memoryLimit(String name) {
    String limit = String.valueOf(service(name).get("mem_limit"));
    if (!limit.matches("[0-9]+m")) {
      throw new AssertionError(name + ": mem_limit is not a number of MiB such as 768m: " + limit);
    }
    return Long.parseLong(limit.substring(0, limit.length() - 1)) << 20;
  }

  /** The services {@code name} waits for, with the condition it waits for. */
  Map<String, String> dependsOn(String name) {
    Map<String, String> result = new LinkedHashMap<>();
    Object dependsOn = service(name).get("depends_on");
    if (dependsOn instanceof Map<?, ?> entries) {
      entries.forEach(
          (key, value) -> result.put(key.toString(), String.valueOf(map(value).get("condition"))));
    } else if (dependsOn instanceof List<?> entries) {
      entries.forEach(entry -> result.put(entry.toString(), "service_started"));
    }
    return result;
  }

  private Map<String, Object> services() {
    return map(model.get("services"));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }

  /** A YAML sequence of mappings. */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> list(Object value) {
    return (List<Map<String, Object>>) value;
  }
}
