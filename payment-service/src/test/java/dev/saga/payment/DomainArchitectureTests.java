package dev.saga.payment;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.saga.test.DomainRules;
import org.junit.jupiter.api.Test;

class DomainArchitectureTests {

  private final JavaClasses classes =
      new ClassFileImporter()
          .withImportOption(new ImportOption.DoNotIncludeTests())
          .importPackages("dev.saga.payment");

  @Test
  void domainIsFreeOfFrameworks() {
    DomainRules.domainIsFreeOfFrameworks("dev.saga.payment").check(classes);
  }

  @Test
  void defaultKafkaHandlersTouchNothing() {
    DomainRules.defaultKafkaHandlersTouchNothing("dev.saga.payment").check(classes);
  }
}
