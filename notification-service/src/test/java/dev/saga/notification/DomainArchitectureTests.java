package dev.saga.notification;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.saga.test.DomainRules;
import org.junit.jupiter.api.Test;

class DomainArchitectureTests {

  private final JavaClasses classes =
      new ClassFileImporter()
          .withImportOption(new ImportOption.DoNotIncludeTests())
          .withImportOption(new ImportOption.DoNotIncludeJars())
          .importPackages("dev.saga.notification");

  @Test
  void domainIsFreeOfFrameworks() {
    DomainRules.domainIsFreeOfFrameworks("dev.saga.notification").check(classes);
  }

  @Test
  void defaultKafkaHandlersTouchNothing() {
    DomainRules.defaultKafkaHandlersTouchNothing("dev.saga.notification").check(classes);
  }
}
