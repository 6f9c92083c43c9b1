package dev.latchkey.benchmarks.redis;

import dev.latchkey.testkit.proxy.FaultProxy;
import dev.latchkey.testkit.proxy.RespCommandCounter;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Counts the commands clients send through a {@link FaultProxy}, by name: exactly what went over the
 * wire, not the {@code redis.call}s a script runs inside (which {@code INFO commandstats} would add).
 *
 * <p>A {@link RespCommandCounter} parses one byte stream, and the proxy forwards each connection's
 * client side on a thread of its own: so there is one counter per forwarding thread, that is one
 * per connection, and the streams of many clients never mix.
 */
final class ClientCommands implements Consumer<byte[]>, AutoCloseable {

    private final FaultProxy proxy;
    private final Map<Thread, RespCommandCounter> perConnection = new ConcurrentHashMap<>();

    ClientCommands(String host, int port) {
        this.proxy = FaultProxy.start(host, port);
        proxy.onClientBytes(this);
    }

    String host() {
        return proxy.host();
    }

    int port() {
        return proxy.port();
    }

    @Override
    public void accept(byte[] chunk) {
        perConnection.computeIfAbsent(Thread.currentThread(), t -> new RespCommandCounter()).accept(chunk);
    }

    /** Forgets everything counted so far (a command cut in half by the reset is still parsed whole). */
    void reset() {
        perConnection.values().forEach(RespCommandCounter::reset);
    }

    /** Commands sent since the last reset, by upper-case name, in name order. */
    Map<String, Long> byName() {
        Map<String, Long> out = new TreeMap<>();
        for (RespCommandCounter c : perConnection.values()) {
            for (String name : c.commandNames()) {
                out.merge(name, 1L, Long::sum);
            }
        }
        return out;
    }

    @Override
    public void close() {
        proxy.close();
    }
}
