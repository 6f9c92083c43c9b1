package dev.latchkey.lock.redis.internal;

import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.CommandOutput;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A script reply in its own shape: integer as {@link Long}, bulk or status as {@code byte[]},
 * array as {@link List} (nested as needed), nil as null. Lettuce's own script outputs either
 * force one type or wrap a scalar in a list, which would make {@code 1} and {@code {1}} look alike.
 */
final class ReplyOutput extends CommandOutput<String, byte[], Object> {

    static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

    private final Deque<List<Object>> stack = new ArrayDeque<>();
    private List<Object> current;
    private List<Object> root;
    private Object scalar;
    private int depth;

    ReplyOutput() {
        super(CODEC, null);
    }

    private void add(Object value) {
        if (current == null) {
            scalar = value;
        } else {
            current.add(value);
        }
    }

    @Override
    public void set(ByteBuffer bytes) {
        add(bytes == null ? null : codec.decodeValue(bytes));
    }

    @Override
    public void setSingle(ByteBuffer bytes) {
        add(bytes == null ? null : codec.decodeValue(bytes));
    }

    @Override
    public void set(long integer) {
        add(integer);
    }

    @Override
    public void set(double number) {
        add(number);
    }

    @Override
    public void set(boolean value) {
        add(value);
    }

    @Override
    public void multi(int count) {
        List<Object> list = new ArrayList<>(Math.max(count, 0));
        if (root == null) {
            root = list;
        } else {
            current.add(list);
            stack.push(current);
        }
        current = list;
        depth++;
    }

    @Override
    public void complete(int depth) {
        if (depth > 0 && depth < this.depth && !stack.isEmpty()) {
            current = stack.pop();
            this.depth--;
        }
    }

    @Override
    public Object get() {
        return root != null ? root : scalar;
    }
}
