package dev.saga.load;

import java.util.EnumMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.random.RandomGenerator;

/**
 * How often the generator places each kind of order, as relative weights, e.g. {@code
 * paid=80,out-of-stock=5,declined=5,cancel=5,hot=5}.
 */
public record Mix(Map<Kind, Integer> weights) {

  /** The kinds of order, by the saga path they take. */
  public enum Kind {
    /** In stock and paid: confirmed. */
    PAID("paid"),
    /** A product with no stock: cancelled {@code OUT_OF_STOCK}. */
    OUT_OF_STOCK("out-of-stock"),
    /** A customer who cannot pay: cancelled {@code PAYMENT_DECLINED}, its stock released. */
    DECLINED("declined"),
    /** Cancelled by the customer right after placing it (confirmed if the saga was faster). */
    CANCEL("cancel"),
    /** One of a few products with little stock that many orders compete for. */
    HOT("hot");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }

    static Kind ofLabel(String label) {
      for (Kind kind : values()) {
        if (kind.label.equals(label)) {
          return kind;
        }
      }
      throw new IllegalArgumentException(
          "Unknown kind of order '"
              + label
              + "'; one of paid, out-of-stock, declined, cancel, hot");
    }
  }

  public static final Mix DEFAULT = parse("paid=80,out-of-stock=5,declined=5,cancel=5,hot=5");

  public Mix {
    weights = new EnumMap<>(weights);
    if (weights.values().stream().anyMatch(weight -> weight < 0)
        || weights.values().stream().mapToInt(Integer::intValue).sum() == 0) {
      throw new IllegalArgumentException("A mix needs non-negative weights, some above 0");
    }
    weights = Map.copyOf(weights);
  }

  /** Parses {@code kind=weight,...}; kinds not named get weight 0. */
  public static Mix parse(String text) {
    Map<Kind, Integer> weights = new EnumMap<>(Kind.class);
    for (String part : text.split(",")) {
      String[] pair = part.trim().split("=");
      if (pair.length != 2) {
        throw new IllegalArgumentException("Not kind=weight: '" + part + "' in " + text);
      }
      weights.put(Kind.ofLabel(pair[0].trim()), Integer.parseInt(pair[1].trim()));
    }
    return new Mix(weights);
  }

  public int weight(Kind kind) {
    return weights.getOrDefault(kind, 0);
  }

  /** A kind drawn with the probability of its weight. */
  public Kind pick(RandomGenerator random) {
    int total = weights.values().stream().mapToInt(Integer::intValue).sum();
    int draw = random.nextInt(total);
    for (Kind kind : Kind.values()) {
      draw -= weight(kind);
      if (draw < 0) {
        return kind;
      }
    }
    throw new IllegalStateException("unreachable");
  }

  @Override
  public String toString() {
    StringJoiner text = new StringJoiner(",");
    for (Kind kind : Kind.values()) {
      if (weight(kind) > 0) {
        text.add(kind.label() + "=" + weight(kind));
      }
    }
    return text.toString();
  }
}
