package dev.latchkey.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * Seeded statistical checks of the AWS jitter formulas: every delay within its bounds, and the sample mean
 * within 2% of the expected one. The seed makes each run see the same samples.
 */
class JitterStatisticsTest {

    private static final int SAMPLES = 50_000;
    private static final long BASE = Duration.ofMillis(100).toNanos();
    private static final long CAP = Duration.ofSeconds(1).toNanos();

    private static Backoff backoff(Jitter jitter) {
        return Backoff.exponential(Duration.ofNanos(BASE), 2.0, Duration.ofNanos(CAP)).withJitter(jitter);
    }

    @Test
    void none_isExactExponentialClampedToCap() {
        Backoff b = backoff(Jitter.NONE);
        RandomGenerator r = new Random(1);
        assertThat(b.delayNanos(1, 0, r)).isEqualTo(BASE);
        assertThat(b.delayNanos(2, 0, r)).isEqualTo(2 * BASE);
        assertThat(b.delayNanos(3, 0, r)).isEqualTo(4 * BASE);
        assertThat(b.delayNanos(4, 0, r)).isEqualTo(8 * BASE);
        assertThat(b.delayNanos(5, 0, r)).isEqualTo(CAP);
        assertThat(b.delayNanos(1_000, 0, r)).as("huge retry numbers must not overflow").isEqualTo(CAP);
    }

    @Test
    void full_staysBetweenZeroAndCappedDelay_withMeanHalfOfIt() {
        Backoff b = backoff(Jitter.FULL);
        RandomGenerator r = new Random(42);
        long v = 4 * BASE; // retry 3, below the cap
        double sum = 0;
        for (int i = 0; i < SAMPLES; i++) {
            long d = b.delayNanos(3, 0, r);
            assertThat(d).isBetween(0L, v);
            sum += d;
        }
        assertThat(sum / SAMPLES / v).as("mean / v").isCloseTo(0.5, within(0.01));
    }

    @Test
    void equal_staysBetweenHalfAndWhole_withMeanThreeQuarters() {
        Backoff b = backoff(Jitter.EQUAL);
        RandomGenerator r = new Random(43);
        long v = 4 * BASE;
        double sum = 0;
        for (int i = 0; i < SAMPLES; i++) {
            long d = b.delayNanos(3, 0, r);
            assertThat(d).isBetween(v / 2, v);
            sum += d;
        }
        assertThat(sum / SAMPLES / v).as("mean / v").isCloseTo(0.75, within(0.01));
    }

    @Test
    void decorrelated_staysBetweenBaseAndThreeTimesPrevious_withMeanInTheMiddle() {
        Backoff b = backoff(Jitter.DECORRELATED);
        RandomGenerator r = new Random(44);
        long previous = 0;
        double positionSum = 0;
        int counted = 0;
        for (int i = 0; i < SAMPLES; i++) {
            long upper = Math.min(CAP, 3 * (previous == 0 ? BASE : previous));
            long d = b.delayNanos(i % 10 + 1, previous, r);
            assertThat(d).isBetween(BASE, upper);
            if (upper > BASE) {
                positionSum += (double) (d - BASE) / (upper - BASE);
                counted++;
            }
            previous = i % 10 == 9 ? 0 : d; // restart a run every ten retries
        }
        assertThat(positionSum / counted).as("mean position within [base, min(cap, 3*previous)]")
                .isCloseTo(0.5, within(0.01));
    }

    @Test
    void decorrelated_atTheCap_isUniformBetweenBaseAndCap() {
        Backoff b = backoff(Jitter.DECORRELATED);
        RandomGenerator r = new Random(45);
        double sum = 0;
        for (int i = 0; i < SAMPLES; i++) {
            long d = b.delayNanos(7, CAP, r);
            assertThat(d).isBetween(BASE, CAP);
            sum += d;
        }
        assertThat(sum / SAMPLES).isCloseTo((BASE + CAP) / 2.0, within(0.01 * CAP));
    }

    @Test
    void cappedDelays_keepTheirSpread_becauseTheCapIsAppliedBeforeRandomizing() {
        for (Jitter jitter : new Jitter[] {Jitter.FULL, Jitter.EQUAL, Jitter.DECORRELATED}) {
            Backoff b = backoff(jitter);
            RandomGenerator r = new Random(46);
            Set<Long> distinct = new HashSet<>();
            int atCap = 0;
            for (int i = 0; i < 10_000; i++) {
                long d = b.delayNanos(30, CAP, r); // far beyond the cap
                assertThat(d).isLessThanOrEqualTo(CAP);
                distinct.add(d);
                if (d == CAP) {
                    atCap++;
                }
            }
            assertThat(atCap).as("%s: samples stuck on the cap", jitter).isLessThan(10);
            assertThat(distinct).as("%s: distinct capped delays", jitter).hasSizeGreaterThan(9_900);
        }
    }

    @Test
    void sameSeed_givesSameDelays() {
        Backoff b = backoff(Jitter.FULL);
        RandomGenerator r1 = new Random(7);
        RandomGenerator r2 = new Random(7);
        for (int i = 1; i < 100; i++) {
            assertThat(b.delayNanos(i % 6 + 1, 0, r1)).isEqualTo(b.delayNanos(i % 6 + 1, 0, r2));
        }
    }

    @Test
    void fixedAndNone_ignoreTheRetryNumber() {
        RandomGenerator r = new Random(8);
        Backoff fixed = Backoff.fixed(Duration.ofMillis(50));
        assertThat(fixed.delayNanos(1, 0, r)).isEqualTo(Duration.ofMillis(50).toNanos());
        assertThat(fixed.delayNanos(9, 0, r)).isEqualTo(Duration.ofMillis(50).toNanos());
        assertThat(Backoff.none().withJitter(Jitter.FULL).delayNanos(5, 0, r)).isZero();
        assertThat(Backoff.fixed(Duration.ZERO).isZero()).isTrue();
        long jittered = fixed.withJitter(Jitter.FULL).delayNanos(1, 0, r);
        assertThat(jittered).isBetween(0L, Duration.ofMillis(50).toNanos());
    }
}
