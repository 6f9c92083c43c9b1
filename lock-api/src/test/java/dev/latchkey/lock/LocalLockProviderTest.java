package dev.latchkey.lock;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** What is specific to the in-JVM provider; the lock contract itself runs in testkit. */
class LocalLockProviderTest {

    /** The table-level test runs a million names; this one proves the provider keeps nothing either. */
    @Test
    void manyDistinctNames_acquiredAndReleased_leaveTheTableEmpty() {
        try (LocalLockProvider locks = new LocalLockProvider()) {
            for (int i = 0; i < 200_000; i++) {
                locks.lock("order:" + i).tryAcquire().orElseThrow().release();
            }
            assertThat(locks.tableSize()).as("grants left after 200,000 acquire+release").isZero();
        }
    }

    @Test
    void separateProviders_haveSeparateTables() {
        try (LocalLockProvider a = new LocalLockProvider(); LocalLockProvider b = new LocalLockProvider()) {
            LockLease lease = a.lock("same-name").tryAcquire().orElseThrow();
            assertThat(b.lock("same-name").tryAcquire()).as("a provider without sharing(..) has its own names")
                    .isPresent();
            lease.release();
        }
    }

    @Test
    void sharingProvider_seesTheSameNames_andClosingOneKeepsTheOthersLeases() {
        try (LocalLockProvider a = new LocalLockProvider()) {
            LocalLockProvider b = LocalLockProvider.builder().sharing(a).build();
            LockLease held = a.lock("shared").tryAcquire().orElseThrow();
            assertThat(b.lock("shared").tryAcquire()).as("a name held through the other provider").isEmpty();
            LockLease own = b.lock("b-only").tryAcquire().orElseThrow();
            b.close();
            assertThat(own.isHeld()).as("closing a provider releases its own leases").isFalse();
            assertThat(held.isHeld()).as("closing a provider must not touch another provider's lease").isTrue();
            assertThat(a.lock("b-only").tryAcquire()).isPresent();
        }
    }

    @Test
    void builderDefaults_applyToLockWithoutOptions() {
        LockOptions defaults = LockOptions.builder().leaseTime(Duration.ofSeconds(3)).build();
        try (LocalLockProvider locks = LocalLockProvider.builder().defaults(defaults).build()) {
            assertThat(locks.defaultOptions()).isSameAs(defaults);
        }
    }
}
