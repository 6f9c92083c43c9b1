package dev.latchkey.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * A crowd of concurrent clients released at the same instant, like the seeds' customers who all
 * press "Buy" in the same millisecond. Each client is its own thread.
 */
public final class Crowd {

    private Crowd() {
    }

    /**
     * Runs {@code size} clients at once and returns their results in client order.
     *
     * @throws Exception the first client failure, with the others attached as suppressed
     */
    public static <T> List<T> run(int size, IntFunction<Callable<T>> client) throws Exception {
        if (size < 1) {
            throw new IllegalArgumentException("size must be at least 1: " + size);
        }
        CountDownLatch ready = new CountDownLatch(size);
        CountDownLatch go = new CountDownLatch(1);
        // Daemon threads: a client stuck in a broken data structure must not keep the JVM alive.
        ExecutorService pool = Executors.newFixedThreadPool(size, r -> {
            Thread t = new Thread(r, "client");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<T>> futures = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                Callable<T> task = client.apply(i);
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return task.call();
                }));
            }
            ready.await();
            go.countDown();
            List<T> results = new ArrayList<>(size);
            Exception failure = null;
            for (Future<T> f : futures) {
                try {
                    results.add(f.get(2, TimeUnit.MINUTES));
                } catch (ExecutionException e) {
                    Exception cause = e.getCause() instanceof Exception ex ? ex : e;
                    if (failure == null) {
                        failure = cause;
                    } else {
                        failure.addSuppressed(cause);
                    }
                    results.add(null);
                }
            }
            if (failure != null) {
                throw failure;
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
