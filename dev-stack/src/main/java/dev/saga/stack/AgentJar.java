package dev.saga.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Packs {@link ParentWatchAgent} into a jar that the stack's JVM children load as an agent. */
final class AgentJar {

  private static final String CLASS_FILE = ParentWatchAgent.class.getSimpleName() + ".class";

  private AgentJar() {}

  /** The JVM option that makes a child exit when this JVM (its supervisor) is gone. */
  static String parentWatchOption(Path directory) {
    return parentWatchOption(directory, ProcessHandle.current().pid());
  }

  /** The JVM option that makes a child exit when the process with this pid is gone. */
  static String parentWatchOption(Path directory, long supervisorPid) {
    Path jar = write(directory.resolve("parent-watch-agent.jar"));
    return "-javaagent:" + jar + "=" + supervisorPid;
  }

  private static Path write(Path jar) {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().putValue("Premain-Class", ParentWatchAgent.class.getName());
    try {
      Files.createDirectories(jar.getParent());
      // Written under a temporary name and moved, so a child never loads a half-written jar.
      Path staging = Files.createTempFile(jar.getParent(), "agent", ".jar");
      try (OutputStream file = Files.newOutputStream(staging);
          JarOutputStream out = new JarOutputStream(file, manifest);
          InputStream classFile = ParentWatchAgent.class.getResourceAsStream(CLASS_FILE)) {
        if (classFile == null) {
          throw new IllegalStateException(CLASS_FILE + " not found beside " + AgentJar.class);
        }
        out.putNextEntry(
            new JarEntry(ParentWatchAgent.class.getName().replace('.', '/') + ".class"));
        classFile.transferTo(out);
        out.closeEntry();
      }
      Files.move(staging, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return jar;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + jar, e);
    }
  }
}
