package dev.saga.events;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * Decides whether a changed JSON Schema still reads, and is read by, everything its previous
 * release described: within one version, producers and consumers of either release must understand
 * each other. Only new optional properties and new documentation are compatible; any change a
 * reader on either side could trip over is reported.
 */
final class SchemaCompatibility {

  /** Keywords whose values constrain instances: any change to them changes what is valid. */
  private static final Set<String> CONSTRAINTS =
      Set.of(
          "type",
          "enum",
          "const",
          "pattern",
          "format",
          "minimum",
          "maximum",
          "exclusiveMinimum",
          "exclusiveMaximum",
          "minLength",
          "maxLength",
          "minItems",
          "maxItems",
          "uniqueItems",
          "$ref",
          "if",
          "then",
          "else",
          "allOf",
          "anyOf",
          "oneOf",
          "not");

  private SchemaCompatibility() {}

  /** The incompatibilities of {@code current} against {@code previous}; empty when compatible. */
  static List<String> breakingChanges(JsonNode previous, JsonNode current) {
    List<String> problems = new ArrayList<>();
    compare("", previous, current, problems);
    if (previous.has("$defs")) {
      for (String name : previous.get("$defs").propertyNames()) {
        JsonNode now = current.path("$defs").get(name);
        if (now == null) {
          problems.add("/$defs/" + name + ": removed");
        } else {
          compare("/$defs/" + name, previous.get("$defs").get(name), now, problems);
        }
      }
    }
    return problems;
  }

  private static void compare(String path, JsonNode previous, JsonNode current, List<String> out) {
    for (String keyword : CONSTRAINTS) {
      JsonNode before = previous.get(keyword);
      JsonNode after = current.get(keyword);
      if (before == null ? after != null : !before.equals(after)) {
        out.add(path + "/" + keyword + ": changed from " + before + " to " + after);
      }
    }
    Set<String> requiredBefore = names(previous.get("required"));
    Set<String> requiredAfter = names(current.get("required"));
    if (!requiredBefore.equals(requiredAfter)) {
      out.add(path + "/required: changed from " + requiredBefore + " to " + requiredAfter);
    }
    if (isFalse(current.get("additionalProperties"))
        && !isFalse(previous.get("additionalProperties"))) {
      out.add(path + "/additionalProperties: unknown fields are no longer allowed");
    }
    JsonNode propertiesBefore = previous.path("properties");
    for (String name : new TreeSet<>(propertiesBefore.propertyNames())) {
      JsonNode after = current.path("properties").get(name);
      if (after == null) {
        out.add(path + "/properties/" + name + ": removed");
      } else {
        compare(path + "/properties/" + name, propertiesBefore.get(name), after, out);
      }
    }
    if (previous.has("items") && current.has("items")) {
      compare(path + "/items", previous.get("items"), current.get("items"), out);
    }
  }

  private static Set<String> names(JsonNode array) {
    Set<String> names = new HashSet<>();
    if (array != null) {
      array.forEach(node -> names.add(node.asString()));
    }
    return names;
  }

  private static boolean isFalse(JsonNode node) {
    return node != null && node.isBoolean() && !node.booleanValue();
  }
}
