package dev.latchkey.retry.internal;

/** Metrics that go nowhere: the default, so the hot path needs no {@code if (metricsEnabled)}. */
public final class NoopRetryMetrics implements RetryMetrics {

    public static final NoopRetryMetrics INSTANCE = new NoopRetryMetrics();

    private NoopRetryMetrics() {
    }

    @Override
    public void attemptStarted() {
    }

    @Override
    public void attemptFailed(Throwable failure) {
    }

    @Override
    public void exhausted() {
    }

    @Override
    public void aborted() {
    }

    @Override
    public void backedOff(long nanos) {
    }
}
