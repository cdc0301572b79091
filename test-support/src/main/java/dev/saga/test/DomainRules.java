package dev.saga.test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import jakarta.persistence.Embeddable;
import jakarta.persistence.Entity;
import jakarta.persistence.MappedSuperclass;
import org.springframework.kafka.annotation.KafkaHandler;

/**
 * The domain of a service (its JPA aggregates and the enums and records they are built from) knows
 * nothing of Spring, Kafka or HTTP; adapters in the {@code web} and {@code messaging} packages and
 * Spring beans translate at the edges.
 */
public final class DomainRules {

  private DomainRules() {}

  /** Domain classes under {@code basePackage} depend on no framework but JPA's annotations. */
  public static ArchRule domainIsFreeOfFrameworks(String basePackage) {
    return noClasses()
        .that(domainClassesIn(basePackage))
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.springframework..",
            "org.apache.kafka..",
            "jakarta.servlet..",
            "io.swagger..",
            "tools.jackson..",
            "com.fasterxml.jackson..")
        .as("the domain of " + basePackage + " is free of Spring, Kafka and HTTP types");
  }

  /**
   * A listener's default handler ({@code @KafkaHandler(isDefault = true)}) receives the events it
   * does not act on, and runs without a transaction or dedup row (see messaging's {@code
   * IdempotentConsumer}); so it must not touch anything: no call, no field access.
   */
  public static ArchRule defaultKafkaHandlersTouchNothing(String basePackage) {
    return methods()
        .that(
            DescribedPredicate.describe(
                "are default @KafkaHandler methods in " + basePackage,
                (JavaMethod method) ->
                    method.getOwner().getPackageName().startsWith(basePackage)
                        && method
                            .tryGetAnnotationOfType(KafkaHandler.class)
                            .map(KafkaHandler::isDefault)
                            .orElse(false)))
        .should(
            new ArchCondition<>("touch nothing, as they run without a transaction or dedup row") {
              @Override
              public void check(JavaMethod method, ConditionEvents events) {
                method
                    .getAccessesFromSelf()
                    .forEach(
                        access ->
                            events.add(
                                SimpleConditionEvent.violated(method, access.getDescription())));
              }
            });
  }

  static DescribedPredicate<JavaClass> domainClassesIn(String basePackage) {
    return DescribedPredicate.describe(
        "domain classes in " + basePackage,
        type ->
            type.getPackageName().startsWith(basePackage)
                && !type.getPackageName().contains(".web")
                && !type.getPackageName().contains(".messaging")
                && (type.isAnnotatedWith(Entity.class)
                    || type.isAnnotatedWith(Embeddable.class)
                    || type.isAnnotatedWith(MappedSuperclass.class)
                    || ((type.isEnum() || type.isRecord()) && !isSpringManaged(type))));
  }

  private static boolean isSpringManaged(JavaClass type) {
    return type.getAnnotations().stream()
        .anyMatch(
            annotation ->
                annotation.getRawType().getPackageName().startsWith("org.springframework"));
  }
}
