package dev.saga.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.ObjectProvider;

/**
 * The messaging beans look their lazily taken dependencies up once: an {@link ObjectProvider}
 * resolves the bean on every call, which per record and per event was 5-8 % of each service's CPU
 * (BENCHMARKS.md, twenty-first round).
 */
class ResolvedOnceTests {

  /** A provider that counts its lookups; {@code bean} is what the bean factory would find. */
  static final class CountingProvider<T> implements ObjectProvider<T> {
    final AtomicInteger lookups = new AtomicInteger();
    volatile T bean;

    CountingProvider(T bean) {
      this.bean = bean;
    }

    @Override
    public T getIfAvailable() {
      lookups.incrementAndGet();
      return bean;
    }

    @Override
    public T getObject() {
      lookups.incrementAndGet();
      if (bean == null) {
        throw new NoSuchBeanDefinitionException(Object.class);
      }
      return bean;
    }
  }

  @Test
  void looksAnOptionalBeanUpOnceWhetherItExistsOrNot() {
    CountingProvider<String> present = new CountingProvider<>("bean");
    CountingProvider<String> absent = new CountingProvider<>(null);
    ResolvedOnce<String> fromPresent = ResolvedOnce.optional(present);
    ResolvedOnce<String> fromAbsent = ResolvedOnce.optional(absent);

    for (int i = 0; i < 3; i++) {
      assertThat(fromPresent.get()).isEqualTo("bean");
      assertThat(fromAbsent.get()).isNull();
    }

    assertThat(present.lookups).hasValue(1);
    assertThat(absent.lookups).hasValue(1);
  }

  @Test
  void looksARequiredBeanUpUntilItIsFoundThenNoMore() {
    CountingProvider<String> provider = new CountingProvider<>(null);
    ResolvedOnce<String> required = ResolvedOnce.required(provider);

    assertThatThrownBy(required::get).isInstanceOf(NoSuchBeanDefinitionException.class);
    provider.bean = "bean";
    assertThat(required.get()).isEqualTo("bean");
    assertThat(required.get()).isEqualTo("bean");

    assertThat(provider.lookups).hasValue(2);
  }

  @Test
  void sagaTracingLooksTheTracerUpOnceForAllItsCalls() {
    CountingProvider<Tracer> tracer = new CountingProvider<>(Tracer.NOOP);
    CountingProvider<Propagator> propagator = new CountingProvider<>(Propagator.NOOP);
    SagaTracing tracing = new SagaTracing(tracer, propagator);

    for (int i = 0; i < 5; i++) {
      assertThat(tracing.currentTraceParent()).isNull();
      try (SagaTracing.TracedWork work = tracing.continueTrace("send", null)) {
        tracing.traceParent(work);
      }
    }

    assertThat(tracer.lookups).hasValue(1);
    assertThat(propagator.lookups).hasValue(1);
  }
}
