package dev.saga.test;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleName;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

class DomainRulesTests {

  private final JavaClasses fixtures =
      new ClassFileImporter().importPackages("dev.saga.test.fixture");

  @Test
  void aFrameworkFreeDomainPasses() {
    assertThatCode(
            () ->
                DomainRules.domainIsFreeOfFrameworks("dev.saga.test.fixture.clean").check(fixtures))
        .doesNotThrowAnyException();
  }

  @Test
  void anAggregateThatPublishesToKafkaFails() {
    assertThatThrownBy(
            () ->
                DomainRules.domainIsFreeOfFrameworks("dev.saga.test.fixture.leaky").check(fixtures))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("KafkaTemplate");
  }

  @Test
  void aDefaultKafkaHandlerThatTouchesNothingPasses() {
    assertThatCode(
            () ->
                DomainRules.defaultKafkaHandlersTouchNothing("dev.saga.test.fixture.listeners")
                    .check(fixtures.that(simpleName("IgnoringListener"))))
        .doesNotThrowAnyException();
  }

  @Test
  void aDefaultKafkaHandlerThatChangesStateFails() {
    assertThatThrownBy(
            () ->
                DomainRules.defaultKafkaHandlersTouchNothing("dev.saga.test.fixture.listeners")
                    .check(fixtures))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("CountingListener.ignored")
        .hasMessageNotContaining("IgnoringListener");
  }
}
