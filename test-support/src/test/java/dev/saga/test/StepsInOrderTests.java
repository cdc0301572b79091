package dev.saga.test;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.skippedWithReason;
import static org.junit.platform.testkit.engine.EventConditions.test;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineTestKit;

class StepsInOrderTests {

  @Test
  void theStepsAfterAFailedOneAreSkippedAndTheOnesBeforeItRun() {
    EngineTestKit.engine("junit-jupiter")
        .selectors(selectClass(ThreeSteps.class))
        .execute()
        .testEvents()
        .assertEventsMatchLooselyInOrder(
            event(test("first"), finishedSuccessfully()),
            event(test("second"), finishedWithFailure()),
            event(test("third"), skippedWithReason("builds on second(), which failed")));
  }

  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class ThreeSteps {

    @RegisterExtension static final StepsInOrder steps = new StepsInOrder();

    @Test
    @Order(1)
    void first() {}

    @Test
    @Order(2)
    void second() {
      throw new AssertionError("the step's own failure");
    }

    @Test
    @Order(3)
    void third() {}
  }
}
