package dev.latchkey.benchmarks.redis;

/**
 * One process's view of the contended lock: its own client, used by one thread. The contended run
 * calls {@link #acquire()} then {@link #release()} in a loop; implementations wait the way their
 * library does (pub/sub, a hand-off, polling).
 */
interface Contender extends AutoCloseable {

    /** Blocks until this contender holds the lock. */
    void acquire() throws Exception;

    /** Gives the lock back. */
    void release() throws Exception;

    /** Closes the client this contender opened. */
    @Override
    void close();

    /** Opens a contender on the lock {@code lockName} of the Redis at {@code host:port}. */
    @FunctionalInterface
    interface Factory {
        Contender open(String host, int port, String lockName);
    }
}
