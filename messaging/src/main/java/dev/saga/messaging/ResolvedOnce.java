package dev.saga.messaging;

import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.util.function.SingletonSupplier;

/**
 * A bean looked up on first use and remembered, whether it exists or not.
 *
 * <p>The messaging beans that must not take their dependencies when they are created (the
 * idempotent consumer is a record interceptor and an advisor, created before the context is ready;
 * tracing is optional) take an {@link ObjectProvider}. But a provider resolves the bean again on
 * every call, through the bean factory's dependency resolution: called for every record and every
 * event, that was 5-8 % of each service's CPU time (BENCHMARKS.md, twenty-first round).
 */
final class ResolvedOnce<T> implements Supplier<T> {

  private final SingletonSupplier<Optional<T>> bean;

  private ResolvedOnce(Supplier<Optional<T>> lookup) {
    this.bean = SingletonSupplier.of(lookup);
  }

  /** The bean if there is one, else {@code null}, from the first call on. */
  static <T> ResolvedOnce<T> optional(ObjectProvider<T> provider) {
    return new ResolvedOnce<>(() -> Optional.ofNullable(provider.getIfAvailable()));
  }

  /** The bean; a call finding none throws, and the next one looks again. */
  static <T> ResolvedOnce<T> required(ObjectProvider<T> provider) {
    return new ResolvedOnce<>(() -> Optional.of(provider.getObject()));
  }

  @Override
  public T get() {
    return bean.obtain().orElse(null);
  }
}
