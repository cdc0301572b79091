package dev.saga.inventory.product;

import dev.saga.web.ProblemResponses;
import dev.saga.web.ResourceId;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.data.web.PagedModel;
import org.springframework.http.HttpStatus;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** The product catalog over HTTP: define a product and its stock, read one, page through all. */
@RestController
@RequestMapping("/api/products")
@Validated
class ProductController {

  /** Newest first; the id breaks ties so pages never overlap. */
  private static final Sort NEWEST_FIRST =
      Sort.by(Sort.Order.desc("createdAt"), Sort.Order.asc("id"));

  private final Catalog catalog;

  ProductController(Catalog catalog) {
    this.catalog = catalog;
  }

  @PutMapping("/{productId}")
  @ProblemResponses({400})
  ProductResponse define(
      @PathVariable @ResourceId String productId, @Valid @RequestBody ProductRequest request) {
    return ProductResponse.of(
        catalog.define(
            productId,
            request.name(),
            request.price(),
            request.activeOrDefault(),
            request.stock()));
  }

  @GetMapping("/{productId}")
  @ProblemResponses({400, 404})
  ProductResponse get(@PathVariable @ResourceId String productId) {
    return catalog
        .find(productId)
        .map(ProductResponse::of)
        .orElseThrow(
            () -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No product " + productId));
  }

  @GetMapping
  @ProblemResponses({400})
  PagedModel<ProductResponse> list(
      @RequestParam(defaultValue = "0") @Min(0) int page,
      @RequestParam(defaultValue = "20") @Min(1) @Max(100) int size) {
    return new PagedModel<>(
        catalog.list(PageRequest.of(page, size, NEWEST_FIRST)).map(ProductResponse::of));
  }
}
