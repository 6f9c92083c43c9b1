package dev.latchkey.testkit.vthreads;

import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Virtual threads for tests compiled to Java 17 bytecode: the JDK 21 API is reached reflectively,
 * so the same test classes compile with {@code --release 17} and run on a JDK 21+. A test class
 * that uses this one carries {@code @EnabledForJreRange(min = JRE.JAVA_21)}; on an older JDK every
 * method here fails with an {@link AssertionError} instead of silently using platform threads.
 *
 * <p>Pinning: on JDK 21 to 23 a virtual thread that blocks inside {@code synchronized} pins its
 * carrier; from JDK 24 on (JEP 491) monitors no longer pin, and {@code -Djdk.tracePinnedThreads}
 * is gone. What still pins on every JDK is blocking under a native frame or inside a class
 * initializer. {@link #pinnedParks} records the JFR event {@value #PINNED_EVENT} with no threshold
 * and reports every pinned park that passes through the classes it is asked about, so a test fails
 * on any pinned park in library code ({@link #pinnedParksInLibrary}). The library never holds a
 * monitor around I/O or a wait (it uses {@code java.util.concurrent.locks}); a JDK 21 to 23 run
 * would also catch a {@code synchronized} regression, a JDK 25 run cannot.
 */
public final class VirtualThreads {

    /** The JFR event a JDK 21+ records when a virtual thread blocks while pinned to its carrier. */
    public static final String PINNED_EVENT = "jdk.VirtualThreadPinned";

    private VirtualThreads() {
    }

    /**
     * A new executor that starts one virtual thread per task; the caller shuts it down.
     *
     * @throws AssertionError if this JDK has no virtual threads
     */
    public static ExecutorService newPerTaskExecutor() {
        try {
            return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("this JDK (" + Runtime.version() + ") has no virtual threads,"
                    + " yet the test is enabled on it", e);
        }
    }

    /**
     * Whether the calling thread is virtual.
     *
     * @throws AssertionError if this JDK has no {@code Thread.isVirtual()}
     */
    public static boolean currentIsVirtual() {
        try {
            return (Boolean) Thread.class.getMethod("isVirtual").invoke(Thread.currentThread());
        } catch (IllegalAccessException | NoSuchMethodException e) {
            throw new AssertionError("Thread.isVirtual() is missing on " + Runtime.version(), e);
        } catch (InvocationTargetException e) {
            throw new AssertionError(e.getCause());
        }
    }

    /**
     * Runs {@code count} tasks, each on its own virtual thread, and returns their results in order.
     * A task that does not finish within {@code bound} (counted from the first submission, for all
     * of them together) fails the call: that bound is a liveness check (waiters parked on virtual
     * threads must not starve the carriers), not a speed claim. A task that throws fails the call
     * with an {@link java.util.concurrent.ExecutionException}.
     *
     * @param count how many tasks, zero or more
     * @param bound how long all of them may take together; positive
     * @param tasks makes the task of index {@code i}, from 0 to {@code count - 1}
     * @throws NullPointerException if {@code bound} or {@code tasks} is null
     * @throws IllegalArgumentException if {@code count} is negative or {@code bound} is not positive
     * @throws AssertionError if a task is still running after {@code bound}, or a virtual thread is
     *         still running 10 s after the executor was shut down
     */
    public static <T> List<T> runAll(int count, Duration bound, IntFunction<Callable<T>> tasks)
            throws Exception {
        Objects.requireNonNull(bound, "bound");
        Objects.requireNonNull(tasks, "tasks");
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative: " + count);
        }
        if (bound.isNegative() || bound.isZero()) {
            throw new IllegalArgumentException("bound must be positive: " + bound);
        }
        ExecutorService executor = newPerTaskExecutor();
        List<Future<T>> futures = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                futures.add(executor.submit(tasks.apply(i)));
            }
            long deadline = System.nanoTime() + bound.toNanos();
            List<T> results = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                long left = deadline - System.nanoTime();
                try {
                    results.add(futures.get(i).get(Math.max(0, left), TimeUnit.NANOSECONDS));
                } catch (TimeoutException e) {
                    throw new AssertionError("virtual thread " + i + " of " + count + " did not finish within "
                            + bound + ": waiters parked on virtual threads starved the carriers or the lock"
                            + " lost a wake-up", e);
                }
            }
            return results;
        } finally {
            executor.shutdownNow();
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                throw new AssertionError("virtual threads still running 10 s after shutdownNow()");
            }
        }
    }

    /**
     * Whether a class belongs to the library under test: in {@code dev.latchkey}, but neither the
     * test kit (whose helpers, this class included, run in the recorded threads) nor a test class
     * (whose name contains {@code Test}, and whose own class initializers are the tests' business).
     *
     * @throws NullPointerException if {@code typeName} is null
     */
    public static boolean isLibraryClass(String typeName) {
        Objects.requireNonNull(typeName, "typeName");
        return typeName.startsWith("dev.latchkey.") && !typeName.startsWith("dev.latchkey.testkit.")
                && !typeName.contains("Test");
    }

    /**
     * Runs {@code body} under a JFR recording of {@value #PINNED_EVENT} with no threshold and returns
     * one line per pinned park whose stack passes through a class {@code where} accepts (its topmost
     * such frame, as {@code type.method line n}). On JDK 21 to 23 that catches a {@code synchronized}
     * block around a wait; from JDK 24 monitors no longer pin, and what remains is a park under a
     * native frame or inside a class initializer.
     *
     * @param where accepts the fully qualified names of the classes to report
     * @param body the code to record; what it throws is rethrown, and nothing is reported then
     * @throws NullPointerException if {@code where} or {@code body} is null
     */
    public static List<String> pinnedParks(Predicate<String> where, ThrowingRunnable body) throws Exception {
        Objects.requireNonNull(where, "where");
        Objects.requireNonNull(body, "body");
        Path file = Files.createTempFile("latchkey-pinned", ".jfr");
        try (Recording recording = new Recording()) {
            recording.enable(PINNED_EVENT).withThreshold(Duration.ZERO).withStackTrace();
            recording.start();
            body.run();
            recording.stop();
            recording.dump(file);
            List<String> pinned = new ArrayList<>();
            for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
                if (event.getEventType().getName().equals(PINNED_EVENT) && event.getStackTrace() != null) {
                    for (RecordedFrame frame : event.getStackTrace().getFrames()) {
                        String type = frame.getMethod().getType().getName();
                        if (where.test(type)) {
                            pinned.add(type + "." + frame.getMethod().getName() + " line " + frame.getLineNumber());
                            break;
                        }
                    }
                }
            }
            return pinned;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * {@link #pinnedParks} of the library under test, as {@link #isLibraryClass} defines it: a test
     * asserts the result is empty.
     *
     * @throws NullPointerException if {@code body} is null
     */
    public static List<String> pinnedParksInLibrary(ThrowingRunnable body) throws Exception {
        return pinnedParks(VirtualThreads::isLibraryClass, body);
    }

    /** A block of test code that may throw. */
    @FunctionalInterface
    public interface ThrowingRunnable {

        /** Runs the block. */
        void run() throws Exception;
    }
}
