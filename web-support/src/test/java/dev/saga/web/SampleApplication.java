package dev.saga.web;

import jakarta.validation.Valid;
import java.math.BigDecimal;
import java.util.List;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.Pageable;
import org.springframework.data.web.PagedModel;
import org.springframework.http.HttpStatus;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** A tiny HTTP edge that uses everything web-support offers. */
@SpringBootApplication
class SampleApplication {

  record Payment(@ResourceId String customerId, @Money BigDecimal amount, Integer count) {}

  @RestController
  @Validated
  static class SampleController {

    @PostMapping("/payments")
    @ProblemResponses({400})
    Payment echo(@Valid @RequestBody Payment payment) {
      return payment;
    }

    @GetMapping("/items/{id}")
    @ProblemResponses({400, 404})
    String item(@PathVariable @ResourceId String id) {
      throw new ResponseStatusException(HttpStatus.NOT_FOUND, "No item " + id);
    }

    @GetMapping("/items")
    PagedModel<String> items(Pageable pageable) {
      return new PagedModel<>(new PageImpl<>(List.of("a", "b"), pageable, 5));
    }
  }
}
