package dev.latchkey.testkit.vthreads;

import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Virtual threads for tests compiled to Java 17 bytecode: the JDK 21 API is reached reflectively,
 * so the same test classes compile with {@code --release 17} and run on a JDK 21+ (the tests that
 * use this class carry {@code @EnabledForJreRange(min = JRE.JAVA_21)}).
 */
final class VirtualThreads {

    /** The JFR event a JDK 21+ records when a virtual thread blocks while pinned to its carrier. */
    static final String PINNED_EVENT = "jdk.VirtualThreadPinned";

    private VirtualThreads() {
    }

    /** A new executor that starts one virtual thread per task. */
    static ExecutorService newPerTaskExecutor() {
        try {
            return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("this JDK (" + Runtime.version() + ") has no virtual threads,"
                    + " yet the test is enabled on it", e);
        }
    }

    /** Whether the calling thread is virtual. */
    static boolean currentIsVirtual() {
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
     * A task that does not finish within {@code bound} fails the call: that bound is a liveness
     * check (waiters parked on virtual threads must not starve the carriers), not a speed claim.
     */
    static <T> List<T> runAll(int count, Duration bound, TaskFactory<T> tasks) throws Exception {
        ExecutorService executor = newPerTaskExecutor();
        List<Future<T>> futures = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                futures.add(executor.submit(tasks.task(i)));
            }
            long deadline = System.nanoTime() + bound.toNanos();
            List<T> results = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                long left = deadline - System.nanoTime();
                try {
                    results.add(futures.get(i).get(Math.max(0, left), TimeUnit.NANOSECONDS));
                } catch (java.util.concurrent.TimeoutException e) {
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

    /** Makes the task of index {@code i}. */
    @FunctionalInterface
    interface TaskFactory<T> {
        Callable<T> task(int i);
    }

    /** Whether a class belongs to the library under test (not the test kit, not a test class). */
    static boolean isLibraryClass(String typeName) {
        return typeName.startsWith("dev.latchkey.") && !typeName.startsWith("dev.latchkey.testkit.")
                && !typeName.contains("Test");
    }

    /**
     * Runs {@code body} under a JFR recording of {@value #PINNED_EVENT} with no threshold and returns
     * one line per pinned park whose stack passes through a class {@code where} accepts (the
     * topmost such frame). On JDK 21 to 23 that catches a {@code synchronized} block around a wait;
     * from JDK 24 monitors no longer pin, and what remains is a park under a native frame or inside
     * a class initializer.
     */
    static List<String> pinnedParks(Predicate<String> where, ThrowingRunnable body) throws Exception {
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

    /** A block of test code. */
    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }
}
