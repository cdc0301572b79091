package dev.saga.load;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * {@code ./load-test.sh profile <recording.jfr>...}: where a service's CPU time goes, from a JFR
 * recording of JDK 25's CPU-time sampler ({@code jdk.CPUTimeSample}, JEP 509), or of the execution
 * sampler if the recording has no CPU-time samples.
 *
 * <p>{@code jfr view cpu-time-hot-methods} charges a sample to its top frame, which is mostly the
 * JDK (a socket write, a hash map); this charges the JDK's frames to the first frame above them
 * that is not the JDK's, and names its library, so a socket write made by the PostgreSQL driver
 * counts as the driver's. It also charges each sample to its entry point: the outermost frame of
 * this project's code, or the thread when there is none (a Kafka client's own poll loop, Tomcat's
 * poller).
 */
final class CpuProfile {

  static final String CPU_TIME_SAMPLE = "jdk.CPUTimeSample";
  static final String EXECUTION_SAMPLE = "jdk.ExecutionSample";
  static final String SAMPLES_LOST = "jdk.CPUTimeSamplesLost";

  /** Package prefixes and the library they are reported as; the first match wins. */
  private static final List<Map.Entry<String, String>> LIBRARIES =
      List.of(
          Map.entry("dev.saga.", "this project"),
          Map.entry("org.postgresql.", "PostgreSQL JDBC driver"),
          Map.entry("com.zaxxer.hikari.", "HikariCP"),
          Map.entry("org.hibernate.", "Hibernate"),
          Map.entry("org.apache.kafka.", "Kafka clients"),
          Map.entry("org.springframework.kafka.", "Spring Kafka"),
          Map.entry("org.springframework.data.", "Spring Data"),
          Map.entry("org.springframework.transaction.", "Spring transactions"),
          Map.entry("org.springframework.orm.", "Spring transactions"),
          Map.entry("org.springframework.jdbc.", "Spring JDBC"),
          Map.entry("org.springframework.web.", "Spring MVC"),
          Map.entry("org.springframework.", "Spring (other)"),
          Map.entry("org.apache.catalina.", "Tomcat"),
          Map.entry("org.apache.coyote.", "Tomcat"),
          Map.entry("org.apache.tomcat.", "Tomcat"),
          Map.entry("jakarta.servlet.", "Tomcat"),
          Map.entry("tools.jackson.", "Jackson"),
          Map.entry("com.fasterxml.jackson.", "Jackson"),
          Map.entry("com.networknt.schema.", "JSON Schema validator"),
          Map.entry("io.cloudevents.", "CloudEvents"),
          Map.entry("io.micrometer.", "Micrometer"),
          Map.entry("io.opentelemetry.", "OpenTelemetry"),
          Map.entry("io.prometheus.", "Prometheus client"),
          Map.entry("ch.qos.logback.", "Logback"),
          Map.entry("org.slf4j.", "Logback"),
          Map.entry("org.jboss.logging.", "JBoss Logging"),
          Map.entry("org.eclipse.angus.", "Jakarta Mail"),
          Map.entry("jakarta.mail.", "Jakarta Mail"),
          Map.entry("org.flywaydb.", "Flyway"));

  private final Map<String, Integer> byLibrary = new HashMap<>();
  private final Map<String, Integer> byMethod = new HashMap<>();
  private final Map<String, Integer> byEntry = new HashMap<>();
  private final String sampleEvent;
  private int samples;
  private long lost;

  private CpuProfile(String sampleEvent) {
    this.sampleEvent = sampleEvent;
  }

  /** Reads one recording: its CPU-time samples, or its execution samples if it has none. */
  static CpuProfile read(Path recording) throws IOException {
    CpuProfile cpuTime = new CpuProfile(CPU_TIME_SAMPLE);
    CpuProfile execution = new CpuProfile(EXECUTION_SAMPLE);
    try (RecordingFile file = new RecordingFile(recording)) {
      while (file.hasMoreEvents()) {
        RecordedEvent event = file.readEvent();
        if (isType(event, CPU_TIME_SAMPLE)) {
          cpuTime.add(event.getThread("eventThread"), event.getStackTrace());
        } else if (isType(event, EXECUTION_SAMPLE)) {
          execution.add(event.getThread("sampledThread"), event.getStackTrace());
        } else if (isType(event, SAMPLES_LOST)) {
          cpuTime.lost += event.getLong("lostSamples");
        }
      }
    }
    return cpuTime.samples > 0 ? cpuTime : execution;
  }

  private static boolean isType(RecordedEvent event, String name) {
    return event.getEventType().getName().equals(name);
  }

  private void add(RecordedThread thread, RecordedStackTrace stack) {
    if (stack == null || stack.getFrames().isEmpty()) {
      return;
    }
    samples++;
    List<RecordedFrame> frames = stack.getFrames();
    String method = null;
    String library = null;
    String entry = null;
    for (RecordedFrame frame : frames) {
      if (!frame.isJavaFrame() || frame.getMethod() == null) {
        continue;
      }
      String name = frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
      String owner = library(name);
      if (method == null && owner != null) {
        method = name;
        library = owner;
      }
      if (name.startsWith("dev.saga.")) {
        entry = name;
      }
    }
    if (method == null) {
      library = "JDK only";
      method = "(JDK only) " + threadName(thread);
    }
    if (entry == null) {
      entry = "(thread) " + threadName(thread);
    }
    byLibrary.merge(library, 1, Integer::sum);
    byMethod.merge(method, 1, Integer::sum);
    byEntry.merge(entry, 1, Integer::sum);
  }

  /** The library a frame's class belongs to, or {@code null} for the JDK. */
  static String library(String qualifiedMethod) {
    for (Map.Entry<String, String> library : LIBRARIES) {
      if (qualifiedMethod.startsWith(library.getKey())) {
        return library.getValue();
      }
    }
    if (qualifiedMethod.startsWith("java.")
        || qualifiedMethod.startsWith("javax.")
        || qualifiedMethod.startsWith("jdk.")
        || qualifiedMethod.startsWith("sun.")
        || qualifiedMethod.startsWith("com.sun.")) {
      return null;
    }
    int cut = qualifiedMethod.indexOf('.', qualifiedMethod.indexOf('.') + 1);
    return cut < 0 ? qualifiedMethod : qualifiedMethod.substring(0, cut);
  }

  /** A thread's name with its numbers taken out, so a pool's threads count as one. */
  private static String threadName(RecordedThread thread) {
    if (thread == null) {
      return "?";
    }
    String name = thread.getJavaName() != null ? thread.getJavaName() : thread.getOSName();
    name = name == null ? "?" : name.replaceAll("\\d+", "N");
    return thread.isVirtual() ? "virtual " + name : name;
  }

  int samples() {
    return samples;
  }

  Map<String, Integer> byLibrary() {
    return byLibrary;
  }

  Map<String, Integer> byMethod() {
    return byMethod;
  }

  Map<String, Integer> byEntry() {
    return byEntry;
  }

  void print(Path recording, PrintStream out, int rows) {
    out.printf(
        "%n## %s: %,d samples (%s)%s%n",
        recording.getFileName(),
        samples,
        sampleEvent,
        lost > 0 ? String.format(", %,d more lost by the sampler", lost) : "");
    table(out, "library (the JDK's frames charged to their caller)", byLibrary, rows);
    table(out, "method (the first frame that is not the JDK's)", byMethod, rows);
    table(out, "entry point (outermost frame of this project, else the thread)", byEntry, rows);
  }

  private void table(PrintStream out, String title, Map<String, Integer> counts, int rows) {
    out.printf("%n| %s | samples | share |%n|---|---:|---:|%n", title);
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .limit(rows)
        .forEach(
            e ->
                out.printf(
                    "| %s | %,d | %.1f %% |%n",
                    e.getKey().replace("|", "\\|"), e.getValue(), 100.0 * e.getValue() / samples));
  }
}
