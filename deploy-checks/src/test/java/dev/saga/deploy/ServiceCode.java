package dev.saga.deploy;

import static java.util.stream.Collectors.toCollection;

import dev.saga.events.EventType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.springframework.asm.AnnotationVisitor;
import org.springframework.asm.ClassReader;
import org.springframework.asm.ClassVisitor;
import org.springframework.asm.MethodVisitor;
import org.springframework.asm.Opcodes;
import org.springframework.asm.SpringAsmInfo;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * What a service's built jar actually does and reads, found in its code rather than written down a
 * second time: the topics it consumes ({@code @KafkaListener}s) with their consumer groups, the
 * topics it produces (the event records it constructs), the configuration it reads (its {@code
 * application.yml} and its placeholders, the {@code @ConfigurationProperties} of its own and this
 * project's modules, and the configuration metadata of every library on its classpath) and the
 * health groups it exposes.
 */
final class ServiceCode {

  private static final String KAFKA_LISTENER =
      "Lorg/springframework/kafka/annotation/KafkaListener;";
  private static final String CONFIGURATION_PROPERTIES =
      "Lorg/springframework/boot/context/properties/ConfigurationProperties;";
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^:}]+)(?::([^}]*))?}");
  private static final Map<SagaService, ServiceCode> CACHE = new ConcurrentHashMap<>();

  private final SagaService service;
  private final Path applicationJar;
  private final List<Path> libraries;
  private final Map<String, String> applicationYaml;
  private final Map<String, String> defaults;
  private final List<Listener> listeners = new ArrayList<>();
  private final Set<String> producedTopics = new TreeSet<>();
  private final Map<String, String> configurationPropertiesTypes = new TreeMap<>();
  private final Set<String> properties = new TreeSet<>();
  private final Set<String> mapProperties = new TreeSet<>();

  /** A {@code @KafkaListener}: the topics it names and the consumer group it joins. */
  record Listener(String declaredIn, List<String> topics, String group) {}

  /** A topic this service consumes, and the consumer group it consumes it with. */
  record Consumption(String topic, String group) {}

  private ServiceCode(SagaService service, Path extracted) throws IOException {
    this.service = service;
    this.applicationJar = extracted.resolve(service.id() + ".jar");
    try (Stream<Path> jars = Files.list(extracted.resolve("lib"))) {
      this.libraries = jars.filter(jar -> jar.toString().endsWith(".jar")).sorted().toList();
    }
    this.applicationYaml = flatten(readEntry(applicationJar, "application.yml").orElse(""));
    this.defaults = new LinkedHashMap<>();
    for (Path library : libraries) {
      if (library.getFileName().toString().startsWith("messaging-")) {
        Properties messaging = new Properties();
        messaging.load(
            new java.io.StringReader(
                readEntry(library, "dev/saga/messaging/messaging-defaults.properties")
                    .orElseThrow()));
        messaging.forEach((key, value) -> defaults.put((String) key, (String) value));
      }
    }
    scanClasses(applicationJar, true);
    for (Path library : projectModules()) {
      scanClasses(library, false);
    }
    readConfigurationMetadata();
    expandConfigurationProperties();
    properties.addAll(applicationYaml.keySet());
    properties.addAll(defaults.keySet());
  }

  /** The code of {@code service}'s jar, extracted once per test JVM as its image extracts it. */
  static ServiceCode of(SagaService service) {
    return CACHE.computeIfAbsent(service, ServiceCode::load);
  }

  private static ServiceCode load(SagaService service) {
    try {
      Path extracted = Files.createTempDirectory("service-code-" + service.id());
      JarTools.extract(service.jar(), extracted, List.of("extract", "--destination", "."));
      return new ServiceCode(service, extracted);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  SagaService service() {
    return service;
  }

  List<Listener> listeners() {
    return List.copyOf(listeners);
  }

  /** Every (topic, group) pair this service consumes. */
  Set<Consumption> consumptions() {
    return listeners.stream()
        .flatMap(l -> l.topics().stream().map(topic -> new Consumption(topic, l.group())))
        .collect(
            toCollection(() -> new TreeSet<>(java.util.Comparator.comparing(Object::toString))));
  }

  Set<String> consumedTopics() {
    return listeners.stream().flatMap(l -> l.topics().stream()).collect(toCollection(TreeSet::new));
  }

  Set<String> consumerGroups() {
    return listeners.stream().map(Listener::group).collect(toCollection(TreeSet::new));
  }

  Set<String> producedTopics() {
    return Set.copyOf(producedTopics);
  }

  /** The service's application.yml, flattened to dotted keys with their raw values. */
  Map<String, String> applicationYaml() {
    return Map.copyOf(applicationYaml);
  }

  /** Environment variable names the application.yml reads through placeholders, by property. */
  Map<String, String> placeholderVariables() {
    Map<String, String> variables = new TreeMap<>();
    applicationYaml.forEach(
        (key, value) -> {
          Matcher matcher = PLACEHOLDER.matcher(value);
          while (matcher.find()) {
            variables.put(matcher.group(1), key);
          }
        });
    return variables;
  }

  /** The value of {@code property} when the environment sets {@code environment}. */
  String effectiveValue(String property, Map<String, String> environment) {
    String raw = applicationYaml.getOrDefault(property, defaults.get(property));
    if (raw == null) {
      return null;
    }
    Matcher matcher = PLACEHOLDER.matcher(raw);
    StringBuilder resolved = new StringBuilder();
    while (matcher.find()) {
      String value = environment.get(matcher.group(1));
      if (value == null) {
        value = applicationYaml.get(matcher.group(1));
      }
      if (value == null) {
        value = matcher.group(2) == null ? "" : matcher.group(2);
      }
      matcher.appendReplacement(resolved, Matcher.quoteReplacement(value));
    }
    matcher.appendTail(resolved);
    return resolved.toString();
  }

  /**
   * Whether the service reads {@code name}: a placeholder of its application.yml, or (Spring's
   * relaxed binding) a property it binds, given as an environment variable or as a property name.
   */
  boolean reads(String name) {
    if (placeholderVariables().containsKey(name)) {
      return true;
    }
    String canonical =
        name.equals(name.toUpperCase(java.util.Locale.ROOT)) && !name.contains(".")
            ? name.toLowerCase(java.util.Locale.ROOT).replace('_', '.')
            : canonical(name);
    if (properties.stream().map(ServiceCode::canonical).anyMatch(canonical::equals)) {
      return true;
    }
    return mapProperties.stream()
        .map(ServiceCode::canonical)
        .anyMatch(prefix -> canonical.startsWith(prefix + "."));
  }

  /** The typed settings classes by prefix, e.g. {@code saga.messaging}. */
  Map<String, String> configurationPropertiesTypes() {
    return Map.copyOf(configurationPropertiesTypes);
  }

  /** The health groups reachable under the actuator's base path. */
  Set<String> healthGroups() {
    Map<String, String> effective = new HashMap<>(defaults);
    effective.putAll(applicationYaml);
    Set<String> groups = new TreeSet<>();
    if (Boolean.parseBoolean(
        effective.getOrDefault("management.endpoint.health.probes.enabled", "false"))) {
      groups.add("liveness");
      groups.add("readiness");
    }
    String prefix = "management.endpoint.health.group.";
    effective.keySet().stream()
        .filter(key -> key.startsWith(prefix))
        .map(key -> key.substring(prefix.length(), key.indexOf('.', prefix.length())))
        .forEach(groups::add);
    return groups;
  }

  /** Where the actuator's endpoints are, and whether they share the application's port. */
  String actuatorBasePath() {
    String basePath =
        applicationYaml.getOrDefault(
            "management.endpoints.web.base-path",
            defaults.get("management.endpoints.web.base-path"));
    if (applicationYaml.containsKey("management.server.port")
        || defaults.containsKey("management.server.port")) {
      throw new IllegalStateException(
          service
              + " moved the actuator to its own port: teach deploy-checks which port probes use");
    }
    return basePath == null ? "/actuator" : basePath;
  }

  Set<String> exposedEndpoints() {
    String include =
        applicationYaml.getOrDefault(
            "management.endpoints.web.exposure.include",
            defaults.getOrDefault("management.endpoints.web.exposure.include", "health"));
    return new TreeSet<>(List.of(include.split("\\s*,\\s*")));
  }

  private String defaultGroup() {
    String group =
        applicationYaml.getOrDefault(
            "spring.kafka.consumer.group-id", defaults.get("spring.kafka.consumer.group-id"));
    if (group == null) {
      throw new IllegalStateException(service + " has a listener without a consumer group");
    }
    return group;
  }

  /** Resolves {@code ${property}} placeholders against the service's own configuration. */
  private String resolve(String value) {
    Matcher matcher = PLACEHOLDER.matcher(value);
    StringBuilder resolved = new StringBuilder();
    while (matcher.find()) {
      String replacement =
          applicationYaml.getOrDefault(matcher.group(1), defaults.get(matcher.group(1)));
      if (replacement == null) {
        replacement = matcher.group(2);
      }
      if (replacement == null) {
        throw new IllegalStateException("Cannot resolve " + value + " in " + service);
      }
      matcher.appendReplacement(resolved, Matcher.quoteReplacement(resolve(replacement)));
    }
    matcher.appendTail(resolved);
    return resolved.toString();
  }

  private List<Path> projectModules() {
    // This project's own modules ship with the service; their typed settings are the service's.
    return libraries.stream().filter(ServiceCode::isProjectModule).toList();
  }

  private static boolean isProjectModule(Path jar) {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      return zip.stream().anyMatch(entry -> entry.getName().startsWith("dev/saga/"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void scanClasses(Path jar, boolean ownCode) throws IOException {
    Set<String> eventTypes = new java.util.HashSet<>();
    for (EventType type : EventType.values()) {
      eventTypes.add(type.javaType().getName().replace('.', '/'));
    }
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      for (ZipEntry entry : java.util.Collections.list(zip.entries())) {
        if (!entry.getName().endsWith(".class") || entry.getName().startsWith("META-INF/")) {
          continue;
        }
        try (InputStream in = zip.getInputStream(entry)) {
          new ClassReader(in).accept(new Scanner(ownCode, eventTypes), ClassReader.SKIP_FRAMES);
        }
      }
    }
  }

  /** Collects listeners, constructed events and @ConfigurationProperties from one class file. */
  private final class Scanner extends ClassVisitor {

    private final boolean ownCode;
    private final Set<String> eventTypes;
    private String className;

    Scanner(boolean ownCode, Set<String> eventTypes) {
      super(SpringAsmInfo.ASM_VERSION);
      this.ownCode = ownCode;
      this.eventTypes = eventTypes;
    }

    @Override
    public void visit(
        int version, int access, String name, String signature, String superName, String[] ifs) {
      className = name.replace('/', '.');
    }

    @Override
    public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
      return annotation(descriptor, className, className);
    }

    @Override
    public MethodVisitor visitMethod(
        int access, String name, String descriptor, String signature, String[] exceptions) {
      String where = className + "." + name;
      String returnType = org.springframework.asm.Type.getReturnType(descriptor).getClassName();
      return new MethodVisitor(SpringAsmInfo.ASM_VERSION) {
        @Override
        public AnnotationVisitor visitAnnotation(String annotation, boolean visible) {
          return annotation(annotation, where, returnType);
        }

        @Override
        public void visitTypeInsn(int opcode, String type) {
          if (ownCode && opcode == Opcodes.NEW && eventTypes.contains(type)) {
            produces(type);
          }
        }

        @Override
        public void visitMethodInsn(
            int opcode, String owner, String method, String descriptor, boolean isInterface) {
          // A static factory of the event record, e.g. InventoryUpdated.reserved(...).
          if (ownCode
              && opcode == Opcodes.INVOKESTATIC
              && eventTypes.contains(owner)
              && descriptor.endsWith(")L" + owner + ";")) {
            produces(owner);
          }
        }
      };
    }

    private void produces(String eventType) {
      try {
        producedTopics.add(EventType.of(Class.forName(eventType.replace('/', '.'))).topic());
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException(e);
      }
    }

    private AnnotationVisitor annotation(String descriptor, String where, String boundType) {
      if (ownCode && descriptor.equals(KAFKA_LISTENER)) {
        return new ListenerVisitor(where);
      }
      if (ownCode && descriptor.equals("Lorg/springframework/kafka/annotation/KafkaListeners;")) {
        return new AnnotationVisitor(SpringAsmInfo.ASM_VERSION) {
          @Override
          public AnnotationVisitor visitArray(String name) {
            return new AnnotationVisitor(SpringAsmInfo.ASM_VERSION) {
              @Override
              public AnnotationVisitor visitAnnotation(String n, String d) {
                return new ListenerVisitor(where);
              }
            };
          }
        };
      }
      if (descriptor.equals(CONFIGURATION_PROPERTIES)) {
        return new AnnotationVisitor(SpringAsmInfo.ASM_VERSION) {
          @Override
          public void visit(String name, Object value) {
            if (("value".equals(name) || "prefix".equals(name)) && !value.toString().isEmpty()) {
              configurationPropertiesTypes.put(value.toString(), boundType);
            }
          }
        };
      }
      return null;
    }
  }

  /** Reads one {@code @KafkaListener}'s topics and group as Spring Kafka resolves them. */
  private final class ListenerVisitor extends AnnotationVisitor {

    private final String where;
    private final List<String> topics = new ArrayList<>();
    private String groupId = "";
    private String id = "";
    private boolean idIsGroup = true;

    ListenerVisitor(String where) {
      super(SpringAsmInfo.ASM_VERSION);
      this.where = where;
    }

    @Override
    public void visit(String name, Object value) {
      switch (name) {
        case "groupId" -> groupId = (String) value;
        case "id" -> id = (String) value;
        case "idIsGroup" -> idIsGroup = (Boolean) value;
        case "topicPattern", "topicPartitions" -> unsupported(name);
        default -> {}
      }
    }

    @Override
    public AnnotationVisitor visitArray(String name) {
      if ("topicPartitions".equals(name)) {
        unsupported(name);
      }
      if (!"topics".equals(name)) {
        return null;
      }
      return new AnnotationVisitor(SpringAsmInfo.ASM_VERSION) {
        @Override
        public void visit(String ignored, Object value) {
          topics.add((String) value);
        }
      };
    }

    @Override
    public void visitEnd() {
      for (String topic : topics) {
        if (topic.contains("${") || topic.contains("#{")) {
          throw new IllegalStateException(
              where
                  + " names its topic through an expression ("
                  + topic
                  + "): deploy-checks reads topics as literals (dev.saga.events.Topics constants)");
        }
      }
      String group;
      if (!groupId.isEmpty()) {
        group = groupId;
      } else if (!id.isEmpty() && idIsGroup) {
        group = id;
      } else {
        group = defaultGroup();
      }
      listeners.add(new Listener(where, List.copyOf(topics), resolve(group)));
    }

    private void unsupported(String attribute) {
      throw new IllegalStateException(
          where + " uses @KafkaListener(" + attribute + "): deploy-checks reads topics only");
    }
  }

  private void readConfigurationMetadata() {
    JsonMapper json = JsonMapper.builder().build();
    List<Path> jars = new ArrayList<>(libraries);
    jars.add(applicationJar);
    for (Path jar : jars) {
      for (String resource :
          List.of(
              "META-INF/spring-configuration-metadata.json",
              "META-INF/additional-spring-configuration-metadata.json")) {
        readEntry(jar, resource)
            .ifPresent(
                text -> {
                  JsonNode properties = json.readTree(text).path("properties");
                  for (JsonNode property : properties) {
                    String name = property.path("name").asString();
                    String type = property.path("type").asString("");
                    this.properties.add(name);
                    if (type.startsWith("java.util.Map")) {
                      mapProperties.add(name);
                    }
                  }
                });
      }
    }
  }

  private void expandConfigurationProperties() {
    List<URL> urls = new ArrayList<>();
    try {
      urls.add(applicationJar.toUri().toURL());
      for (Path library : libraries) {
        urls.add(library.toUri().toURL());
      }
    } catch (MalformedURLException e) {
      throw new IllegalStateException(e);
    }
    try (URLClassLoader loader =
        new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
      for (Map.Entry<String, String> entry : configurationPropertiesTypes.entrySet()) {
        expand(entry.getKey(), Class.forName(entry.getValue(), false, loader), 0);
      }
    } catch (IOException | ClassNotFoundException e) {
      throw new IllegalStateException("Cannot read the typed settings of " + service, e);
    }
  }

  private void expand(String prefix, Class<?> type, int depth) {
    if (depth > 8) {
      throw new IllegalStateException("Settings nested too deep at " + prefix);
    }
    if (type.isRecord()) {
      for (RecordComponent component : type.getRecordComponents()) {
        bind(
            prefix + "." + kebab(component.getName()),
            component.getType(),
            component.getGenericType(),
            depth);
      }
      return;
    }
    for (Method method : type.getMethods()) {
      if (method.getName().startsWith("set")
          && method.getParameterCount() == 1
          && !Modifier.isStatic(method.getModifiers())) {
        String name = method.getName().substring(3);
        name = Character.toLowerCase(name.charAt(0)) + name.substring(1);
        bind(
            prefix + "." + kebab(name),
            method.getParameterTypes()[0],
            method.getGenericParameterTypes()[0],
            depth);
      }
    }
  }

  private void bind(String property, Class<?> type, Type generic, int depth) {
    if (Map.class.isAssignableFrom(type)) {
      mapProperties.add(property);
    } else if (Collection.class.isAssignableFrom(type) && generic instanceof ParameterizedType) {
      properties.add(property);
    } else if (type.getName().startsWith("dev.saga.") && !type.isEnum()) {
      expand(property, type, depth + 1);
    } else {
      properties.add(property);
    }
  }

  static String kebab(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
  }

  /** Spring Boot's canonical form of a property name: lower case, without dashes. */
  static String canonical(String property) {
    return property.toLowerCase(java.util.Locale.ROOT).replace("-", "");
  }

  static Map<String, String> flatten(String yaml) {
    Map<String, String> flat = new TreeMap<>();
    if (yaml.isBlank()) {
      return flat;
    }
    for (JsonNode document :
        YAMLMapper.builder()
            .build()
            .readValues(YAMLMapper.builder().build().createParser(yaml), JsonNode.class)
            .readAll()) {
      flatten("", document, flat);
    }
    return flat;
  }

  private static void flatten(String prefix, JsonNode node, Map<String, String> flat) {
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        flatten(
            prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey(),
            field.getValue(),
            flat);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        flatten(prefix + "[" + i + "]", node.get(i), flat);
      }
    } else if (!node.isNull()) {
      flat.put(prefix, node.asString());
    }
  }

  private static Optional<String> readEntry(Path jar, String name) {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      ZipEntry entry = zip.getEntry(name);
      if (entry == null) {
        return Optional.empty();
      }
      try (InputStream in = zip.getInputStream(entry)) {
        return Optional.of(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
