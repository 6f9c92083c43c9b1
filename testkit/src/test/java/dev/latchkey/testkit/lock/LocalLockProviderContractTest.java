package dev.latchkey.testkit.lock;

import dev.latchkey.lock.LocalLockProvider;
import dev.latchkey.lock.LockProvider;

/** The lock contract on the in-JVM provider: every provider of one test shares one lock table. */
class LocalLockProviderContractTest extends LockContract {

    private LocalLockProvider first;

    @Override
    protected LockProvider newProvider() {
        if (first == null) {
            first = new LocalLockProvider();
            return first;
        }
        return LocalLockProvider.builder().sharing(first).build();
    }
}
