/**
 * Virtual-thread tests of the in-JVM lock, and the helpers they use.
 *
 * <p>The library is Java 17 bytecode and these tests are compiled with {@code --release 17}, so
 * virtual threads are created through reflection and every test class carries
 * {@code @EnabledForJreRange(min = JRE.JAVA_21)}: on the build's default JDK 17 they are reported
 * as skipped, and the {@code jdk25} Maven profile (active when
 * {@code /usr/lib/jvm/temurin-25-jdk-amd64/bin/java} exists) runs them, with a selection of the
 * contracts, in an extra surefire execution on that JDK during the same {@code ./mvnw verify}.
 * That execution starts its JVM with
 * {@code -Djdk.virtualThreadScheduler.parallelism=2 -Djdk.virtualThreadScheduler.maxPoolSize=2}:
 * two carriers and none added to compensate, so a waiter that pinned its carrier would stall the
 * tests with two hundred waiters until their liveness bound fails them.
 *
 * <p>Pinning: on JDK 21 to 23 a virtual thread that blocks inside {@code synchronized} pins its
 * carrier; from JDK 24 on (JEP 491) monitors no longer pin, and {@code -Djdk.tracePinnedThreads}
 * is gone. What still pins on every JDK is blocking under a native frame or inside a class
 * initializer. The tests record the JFR event {@code jdk.VirtualThreadPinned} with no threshold and
 * fail on any pinned park that passes through library code. The library never holds a monitor
 * around I/O or a wait (it uses {@code java.util.concurrent.locks}); a JDK 21 to 23 run would also
 * catch a {@code synchronized} regression, a JDK 25 run cannot. The JDK 25 pass of one module runs
 * with that module's build, e.g. {@code ./mvnw -B -pl lock-redis -am verify}; its reports are in
 * {@code target/surefire-reports-jdk25}.
 */
package dev.latchkey.testkit.vthreads;
