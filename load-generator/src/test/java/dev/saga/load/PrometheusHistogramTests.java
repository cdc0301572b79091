package dev.saga.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PrometheusHistogramTests {

  private static final String NAME = "saga_outbox_publish_latency_seconds";

  @Test
  void sumsTheBucketsOfEveryLabelSet() {
    PrometheusHistogram histogram =
        PrometheusHistogram.parse(
            scrape(new double[] {2, 6, 10}, 0.050) + scrape(new double[] {1, 1, 2}, 0.010), NAME);

    assertThat(histogram.buckets())
        .containsEntry(0.001, 3.0)
        .containsEntry(0.005, 7.0)
        .containsEntry(Double.POSITIVE_INFINITY, 12.0);
    assertThat(histogram.count()).isEqualTo(12);
    assertThat(histogram.sum()).isCloseTo(0.060, within(1e-9));
  }

  @Test
  void subtractsAnEarlierScrapeToSeeWhatHappenedInBetween() {
    PrometheusHistogram before = PrometheusHistogram.parse(scrape(new double[] {5, 5, 5}, 1), NAME);
    PrometheusHistogram after =
        PrometheusHistogram.parse(scrape(new double[] {5, 15, 25}, 2), NAME);

    PrometheusHistogram between = after.minus(before);

    assertThat(between.count()).isEqualTo(20);
    assertThat(between.buckets())
        .containsEntry(0.001, 0.0)
        .containsEntry(0.005, 10.0)
        .containsEntry(Double.POSITIVE_INFINITY, 20.0);
    assertThat(between.mean()).isCloseTo(0.05, within(1e-9));
  }

  @Test
  void interpolatesQuantilesInsideTheirBucketAsPrometheusDoes() {
    // 10 observations up to 1 ms, 10 more up to 5 ms, none above.
    PrometheusHistogram histogram =
        PrometheusHistogram.parse(scrape(new double[] {10, 20, 20}, 0.05), NAME);

    assertThat(histogram.quantile(0.25)).isCloseTo(0.0005, within(1e-12));
    assertThat(histogram.quantile(0.5)).isCloseTo(0.001, within(1e-12));
    assertThat(histogram.quantile(0.75)).isCloseTo(0.003, within(1e-12));
    assertThat(histogram.quantile(0.99)).isCloseTo(0.001 + 0.004 * 0.98, within(1e-12));
  }

  @Test
  void answersTheHighestFiniteBoundForARankInTheInfiniteBucket() {
    PrometheusHistogram histogram =
        PrometheusHistogram.parse(scrape(new double[] {1, 1, 10}, 100), NAME);

    assertThat(histogram.quantile(0.99)).isEqualTo(0.005);
  }

  @Test
  void hasNoQuantileWithoutObservations() {
    assertThat(PrometheusHistogram.EMPTY.quantile(0.5)).isNaN();
    assertThat(PrometheusHistogram.parse("# nothing here\n", NAME).count()).isZero();
  }

  /** Buckets at 1 ms, 5 ms and +Inf, as Micrometer writes them, with one label set. */
  private static String scrape(double[] cumulative, double sum) {
    return """
        # HELP %1$s Time from an event's insertion into the outbox to the broker's acknowledgement
        # TYPE %1$s histogram
        %1$s_bucket{application="x",le="0.001"} %2$s
        %1$s_bucket{application="x",le="0.005"} %3$s
        %1$s_bucket{application="x",le="+Inf"} %4$s
        %1$s_count{application="x"} %4$s
        %1$s_sum{application="x"} %5$s
        """
        .formatted(NAME, cumulative[0], cumulative[1], cumulative[2], sum);
  }
}
