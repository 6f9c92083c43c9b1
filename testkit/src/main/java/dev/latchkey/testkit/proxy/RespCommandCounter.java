package dev.latchkey.testkit.proxy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Counts the Redis commands in a client-to-server byte stream, for
 * {@link FaultProxy#onClientBytes(Consumer)}. Unlike {@code INFO commandstats} it sees only what the
 * client sent, not the {@code redis.call}s inside a script, so one {@code EVALSHA} counts as one.
 *
 * <p>Parses RESP arrays of bulk strings (what clients send) and inline commands across chunk
 * boundaries. Use one counter per proxy with a single client connection, or the interleaved chunks
 * of several connections would be mixed. Thread-safe.
 *
 * <pre>{@code
 * RespCommandCounter counter = new RespCommandCounter();
 * proxy.onClientBytes(counter);
 * ... // run the operation
 * assertThat(counter.commandNames()).containsExactly("EVALSHA", "EVALSHA");
 * }</pre>
 */
public final class RespCommandCounter implements Consumer<byte[]> {

  private final ReentrantLock lock = new ReentrantLock();
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private final List<List<String>> commands = new ArrayList<>();

  /** Creates an empty counter. */
  public RespCommandCounter() {}

  @Override
  public void accept(byte[] chunk) {
    lock.lock();
    try {
      pending.write(chunk, 0, chunk.length);
      byte[] data = pending.toByteArray();
      int offset = 0;
      while (true) {
        int next = parse(data, offset);
        if (next < 0) {
          break;
        }
        offset = next;
      }
      pending.reset();
      pending.write(data, offset, data.length - offset);
    } finally {
      lock.unlock();
    }
  }

  /** Commands seen so far. */
  public int count() {
    lock.lock();
    try {
      return commands.size();
    } finally {
      lock.unlock();
    }
  }

  /** The upper-cased names of the commands seen so far, in order. */
  public List<String> commandNames() {
    lock.lock();
    try {
      return commands.stream()
          .map(c -> c.isEmpty() ? "" : c.get(0).toUpperCase(Locale.ROOT))
          .toList();
    } finally {
      lock.unlock();
    }
  }

  /** Every command seen so far with its arguments (decoded as UTF-8), in order. */
  public List<List<String>> commands() {
    lock.lock();
    try {
      return List.copyOf(commands);
    } finally {
      lock.unlock();
    }
  }

  /** Forgets the commands seen so far (a partial command in flight is kept). */
  public void reset() {
    lock.lock();
    try {
      commands.clear();
    } finally {
      lock.unlock();
    }
  }

  /** Parses one command at {@code offset}; returns the offset after it, or -1 if incomplete. */
  private int parse(byte[] data, int offset) {
    if (offset >= data.length) {
      return -1;
    }
    if (data[offset] != '*') {
      int end = lineEnd(data, offset);
      if (end < 0) {
        return -1;
      }
      String line = new String(data, offset, end - offset, StandardCharsets.UTF_8).trim();
      if (!line.isEmpty()) {
        commands.add(List.of(line.split("\\s+")));
      }
      return end + 2;
    }
    int end = lineEnd(data, offset);
    if (end < 0) {
      return -1;
    }
    int count = Integer.parseInt(new String(data, offset + 1, end - offset - 1,
        StandardCharsets.US_ASCII));
    int position = end + 2;
    List<String> args = new ArrayList<>(Math.max(count, 0));
    for (int i = 0; i < count; i++) {
      if (position >= data.length) {
        return -1;
      }
      int lengthEnd = lineEnd(data, position);
      if (lengthEnd < 0) {
        return -1;
      }
      int length = Integer.parseInt(new String(data, position + 1, lengthEnd - position - 1,
          StandardCharsets.US_ASCII));
      int start = lengthEnd + 2;
      if (start + length + 2 > data.length) {
        return -1;
      }
      args.add(new String(data, start, length, StandardCharsets.UTF_8));
      position = start + length + 2;
    }
    commands.add(List.copyOf(args));
    return position;
  }

  private static int lineEnd(byte[] data, int from) {
    for (int i = from; i + 1 < data.length; i++) {
      if (data[i] == '\r' && data[i + 1] == '\n') {
        return i;
      }
    }
    return -1;
  }
}
