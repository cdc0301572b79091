package dev.saga.load;

import java.util.Map;
import java.util.TreeMap;

/**
 * The cumulative buckets of one Prometheus histogram (e.g. {@code
 * saga_outbox_publish_latency_seconds}), summed over its label sets, as scraped from a service's
 * {@code /actuator/prometheus}. Two scrapes give the histogram of what happened in between ({@link
 * #minus}), and its quantiles are estimated as Prometheus' {@code histogram_quantile} does: linear
 * interpolation inside the bucket the rank falls in.
 */
record PrometheusHistogram(TreeMap<Double, Double> buckets, double count, double sum) {

  static final PrometheusHistogram EMPTY = new PrometheusHistogram(new TreeMap<>(), 0, 0);

  /** Reads the histogram {@code name} (without {@code _bucket}) from Prometheus text format. */
  static PrometheusHistogram parse(String exposition, String name) {
    TreeMap<Double, Double> buckets = new TreeMap<>();
    double count = 0;
    double sum = 0;
    for (String line : exposition.split("\n")) {
      if (line.startsWith("#")) {
        continue;
      }
      if (line.startsWith(name + "_bucket{")) {
        int le = line.indexOf("le=\"");
        String bound = line.substring(le + 4, line.indexOf('"', le + 4));
        double upper = bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound);
        buckets.merge(upper, value(line), Double::sum);
      } else if (line.startsWith(name + "_count")) {
        count += value(line);
      } else if (line.startsWith(name + "_sum")) {
        sum += value(line);
      }
    }
    return new PrometheusHistogram(buckets, count, sum);
  }

  private static double value(String line) {
    // The value follows the name or the labels; an optional timestamp may follow it.
    int closing = line.lastIndexOf('}');
    String rest = closing >= 0 ? line.substring(closing + 1) : line.substring(line.indexOf(' '));
    return Double.parseDouble(rest.trim().split(" ")[0]);
  }

  /** What was observed after {@code before} was scraped. */
  PrometheusHistogram minus(PrometheusHistogram before) {
    TreeMap<Double, Double> delta = new TreeMap<>();
    buckets.forEach(
        (upper, value) -> delta.put(upper, value - before.buckets.getOrDefault(upper, 0.0)));
    return new PrometheusHistogram(delta, count - before.count, sum - before.sum);
  }

  PrometheusHistogram plus(PrometheusHistogram other) {
    TreeMap<Double, Double> merged = new TreeMap<>(buckets);
    other.buckets.forEach((upper, value) -> merged.merge(upper, value, Double::sum));
    return new PrometheusHistogram(merged, count + other.count, sum + other.sum);
  }

  /**
   * The estimated {@code q}-quantile (0..1) in seconds; NaN without observations. The lowest bucket
   * is interpolated from 0; a rank in the {@code +Inf} bucket answers the highest finite bound.
   */
  double quantile(double q) {
    double total = buckets.isEmpty() ? 0 : buckets.lastEntry().getValue();
    if (total <= 0) {
      return Double.NaN;
    }
    double rank = q * total;
    double lowerBound = 0;
    double lowerCount = 0;
    for (Map.Entry<Double, Double> bucket : buckets.entrySet()) {
      if (bucket.getValue() >= rank) {
        if (bucket.getKey().isInfinite()) {
          return lowerBound;
        }
        double inBucket = bucket.getValue() - lowerCount;
        return inBucket <= 0
            ? bucket.getKey()
            : lowerBound + (bucket.getKey() - lowerBound) * (rank - lowerCount) / inBucket;
      }
      lowerBound = bucket.getKey();
      lowerCount = bucket.getValue();
    }
    return lowerBound;
  }

  double mean() {
    return count == 0 ? Double.NaN : sum / count;
  }
}
