package dev.saga.stack;

import java.nio.file.Path;

/**
 * A child process of the stack that ended without being asked to.
 *
 * @param name the process, e.g. {@code order-service} or {@code kafka}
 * @param exitCode its exit code ({@code 128 + n} when signal {@code n} ended it)
 * @param logFile where its output went
 */
public record ProcessExit(String name, int exitCode, Path logFile) {}
