package dev.saga.test;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * For a class whose ordered tests are steps that each build on the one before: once a step fails,
 * the rest are skipped, not run for minutes against a system the failure left broken.
 */
public final class StepsInOrder implements TestWatcher, ExecutionCondition {

  private volatile String failed;

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    failed = context.getDisplayName();
  }

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    String step = failed;
    return step == null
        ? ConditionEvaluationResult.enabled("no step failed")
        : ConditionEvaluationResult.disabled("builds on " + step + ", which failed");
  }
}
