package dev.saga.inventory;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.saga.test.DomainRules;
import org.junit.jupiter.api.Test;

class DomainArchitectureTests {

  private final JavaClasses classes =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.saga.inventory");

  @Test
  void domainIsFreeOfFrameworks() {
    DomainRules.domainIsFreeOfFrameworks("dev.saga.inventory").check(classes);
  }

  @Test
  void defaultKafkaHandlersTouchNothing() {
    DomainRules.defaultKafkaHandlersTouchNothing("dev.saga.inventory").check(classes);
  }
}
