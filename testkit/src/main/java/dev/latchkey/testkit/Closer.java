package dev.latchkey.testkit;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What a test opened, closed in the reverse order of opening: a provider before the client it
 * runs on, a client before the server it talks to. Closing goes on past a failure and then throws
 * the first one, the others suppressed on it. Not thread-safe: a test's own bookkeeping.
 */
public final class Closer implements AutoCloseable {

  private final Deque<AutoCloseable> opened = new ArrayDeque<>();

  /** Closes {@code resource} with the others, before everything added earlier; returns it. */
  public <T extends AutoCloseable> T add(T resource) {
    opened.push(resource);
    return resource;
  }

  @Override
  public void close() throws Exception {
    Exception first = null;
    while (!opened.isEmpty()) {
      try {
        opened.pop().close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
