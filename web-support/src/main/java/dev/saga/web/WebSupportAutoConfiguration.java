package dev.saga.web;

import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.Components;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.data.web.config.EnableSpringDataWebSupport;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;

/**
 * The HTTP edge of every service: problem details, money, pages ({@code {content, page: {number,
 * size, totalElements, totalPages}}}, Spring Data's {@code PagedModel}) and OpenAPI errors.
 */
@AutoConfiguration
@EnableSpringDataWebSupport(
    pageSerializationMode = EnableSpringDataWebSupport.PageSerializationMode.VIA_DTO)
@Import(ProblemDetailsAdvice.class)
public class WebSupportAutoConfiguration {

  @Bean
  JsonMapperBuilderCustomizer moneyAsTwoDecimalNumbers() {
    // A string where a number belongs ("10.00" for an amount) and a fraction where an integer
    // belongs (1.5 items) are client errors, not coerced or truncated.
    return builder ->
        builder
            .addModule(MoneyJson.module())
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
  }

  @Bean
  OperationCustomizer problemResponses() {
    return new ProblemResponsesCustomizer();
  }

  @Bean
  OpenApiCustomizer problemDetailSchema() {
    return openApi -> {
      if (openApi.getComponents() == null) {
        openApi.setComponents(new Components());
      }
      ModelConverters.getInstance()
          .read(ProblemDetail.class)
          .forEach(openApi.getComponents()::addSchemas);
    };
  }
}
