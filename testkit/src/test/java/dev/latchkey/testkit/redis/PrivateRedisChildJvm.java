package dev.latchkey.testkit.redis;

/**
 * A second JVM for {@link ProcessHygieneTest}: starts a private Redis, prints its port, pid and
 * directory, and waits to be killed.
 */
public final class PrivateRedisChildJvm {

  private PrivateRedisChildJvm() {}

  public static void main(String[] args) throws InterruptedException {
    PrivateRedis redis = PrivateRedis.start();
    System.out.println("port=" + redis.port() + " pid=" + redis.pid() + " dir=" + redis.directory());
    System.out.flush();
    Thread.sleep(120_000);
  }
}
