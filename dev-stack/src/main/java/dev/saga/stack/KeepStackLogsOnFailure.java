package dev.saga.stack;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * A JUnit extension for tests against a {@link LocalStack}: when a test fails, the stack's logs are
 * copied to {@code target/stack-logs/<class>/<test>/} (a stack usually lives in a temporary
 * directory that JUnit deletes) and the failure carries their digest as a suppressed exception, so
 * the build's output shows what the services logged while the test ran.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final KeepStackLogsOnFailure logs = new KeepStackLogsOnFailure(() -> stack);
 * }</pre>
 */
public final class KeepStackLogsOnFailure
    implements BeforeEachCallback, TestExecutionExceptionHandler {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(KeepStackLogsOnFailure.class);

  private final Supplier<LocalStack> stack;
  private final Path directory;

  /** Keeps the logs under {@code target/stack-logs}. */
  public KeepStackLogsOnFailure(Supplier<LocalStack> stack) {
    this(stack, Path.of("target", "stack-logs"));
  }

  /**
   * @param stack the stack the tests run against; {@code null} while there is none
   * @param directory where each failed test's logs go, in a folder per class and test
   */
  public KeepStackLogsOnFailure(Supplier<LocalStack> stack, Path directory) {
    this.stack = stack;
    this.directory = directory;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    context.getStore(NAMESPACE).put(Instant.class, Instant.now());
  }

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable failure)
      throws Throwable {
    LocalStack current = stack.get();
    if (current != null) {
      Path into =
          directory
              .resolve(context.getRequiredTestClass().getSimpleName())
              .resolve(context.getRequiredTestMethod().getName());
      Instant since =
          Objects.requireNonNullElse(
              context.getStore(NAMESPACE).get(Instant.class, Instant.class), Instant.EPOCH);
      try {
        failure.addSuppressed(new Digest(StackLogs.keep(current, into, since)));
      } catch (RuntimeException e) {
        failure.addSuppressed(e);
      }
    }
    throw failure;
  }

  /** The digest as a throwable without a stack trace: only its message is worth printing. */
  static final class Digest extends RuntimeException {
    Digest(String digest) {
      super(digest, null, false, false);
    }
  }
}
