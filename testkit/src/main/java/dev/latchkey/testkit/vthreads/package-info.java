/**
 * Virtual threads for the tests of every module: {@link dev.latchkey.testkit.vthreads.VirtualThreads}
 * starts them, bounds a run by a liveness deadline and records pinned parks in library code.
 *
 * <p>The library is Java 17 bytecode and its tests are compiled with {@code --release 17}, so
 * virtual threads are created through reflection and every test class that uses them carries
 * {@code @EnabledForJreRange(min = JRE.JAVA_21)}: on the build's default JDK 17 they are reported
 * as skipped, and the {@code jdk25} Maven profile of each module that has such tests (active when
 * {@code /usr/lib/jvm/temurin-25-jdk-amd64/bin/java} exists) runs them, with a selection of the
 * contracts, in an extra surefire execution on that JDK during the same {@code ./mvnw verify}.
 * That execution starts its JVM with
 * {@code -Djdk.virtualThreadScheduler.parallelism=2 -Djdk.virtualThreadScheduler.maxPoolSize=2}:
 * two carriers and none added to compensate, so a waiter that pinned its carrier would stall the
 * tests with two hundred waiters until their liveness bound fails them. The JDK 25 pass of one
 * module runs with that module's build, e.g. {@code ./mvnw -B -pl lock-redis -am verify}; its
 * reports are in {@code target/surefire-reports-jdk25}.
 *
 * <p>What pins a carrier on which JDK, and so what the pinning check can and cannot catch, is in
 * the class javadoc of {@link dev.latchkey.testkit.vthreads.VirtualThreads}.
 */
package dev.latchkey.testkit.vthreads;
