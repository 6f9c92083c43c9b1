package dev.latchkey.testkit.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * A TCP proxy on a free loopback port in front of {@code targetHost:targetPort}, with faults a test
 * switches on and off while connections are live:
 * <ul>
 *   <li>{@link #pass()}: forward everything (the initial mode);</li>
 *   <li>{@link #latency(Duration)}: delay every chunk, in each direction, by that much;</li>
 *   <li>{@link #cutAll()}: reset every live connection (both sides); new ones are still accepted;</li>
 *   <li>{@link #blackhole()}: accept and keep connections but forward nothing either way, as a
 *       network that drops packets; what arrives meanwhile is held, not lost, and flows again after
 *       {@link #pass()}, so a protocol stream stays in order.</li>
 * </ul>
 * It also counts what clients send ({@link #bytesFromClients()}, {@link #onClientBytes(Consumer)};
 * with {@link RespCommandCounter} that gives the number of Redis commands a client really sent).
 *
 * <p>Blocking sockets on platform daemon threads, two per connection; no monitor is held around
 * I/O. Meant for loopback tests, not for load.
 *
 * <pre>{@code
 * try (FaultProxy proxy = FaultProxy.start(redis.host(), redis.port())) {
 *   RedisClient client = RedisClient.create("redis://" + proxy.host() + ":" + proxy.port());
 *   ...
 *   proxy.cutAll();      // the live connection breaks
 * }
 * }</pre>
 */
public final class FaultProxy implements AutoCloseable {

  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static final long BLACKHOLE_PARK_NANOS = 5_000_000;

  private final String targetHost;
  private final int targetPort;
  private final ServerSocket server;
  private final String name;
  private final Set<Link> links = ConcurrentHashMap.newKeySet();
  private final List<Consumer<byte[]>> clientListeners = new CopyOnWriteArrayList<>();
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong fromClients = new AtomicLong();
  private final AtomicLong fromServer = new AtomicLong();
  private volatile boolean blackholed;
  private volatile long latencyNanos;
  private volatile boolean closed;

  private FaultProxy(String targetHost, int targetPort, ServerSocket server) {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.server = server;
    this.name = "latchkey-fault-proxy-" + COUNTER.incrementAndGet();
  }

  /**
   * Starts a proxy in {@link #pass()} mode. The target need not be up yet: a client connecting
   * while it is down is disconnected at once.
   *
   * @throws NullPointerException when {@code targetHost} is null
   * @throws IllegalArgumentException when {@code targetPort} is not in 1..65535
   */
  public static FaultProxy start(String targetHost, int targetPort) {
    Objects.requireNonNull(targetHost, "targetHost");
    if (targetPort < 1 || targetPort > 65535) {
      throw new IllegalArgumentException("targetPort must be in 1..65535, got " + targetPort);
    }
    ServerSocket server;
    try {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new IllegalStateException("cannot listen on a loopback port", e);
    }
    FaultProxy proxy = new FaultProxy(targetHost, targetPort, server);
    Thread acceptor = new Thread(proxy::acceptLoop, proxy.name + "-accept");
    acceptor.setDaemon(true);
    acceptor.start();
    return proxy;
  }

  /** {@code 127.0.0.1}. */
  public String host() {
    return server.getInetAddress().getHostAddress();
  }

  /** The port clients connect to. */
  public int port() {
    return server.getLocalPort();
  }

  /** Forwards everything again, without delay; held data flows on. */
  public void pass() {
    latencyNanos = 0;
    blackholed = false;
  }

  /**
   * Delays each chunk, in each direction, by {@code delay} (on top of any black-holing).
   *
   * @throws NullPointerException when {@code delay} is null
   * @throws IllegalArgumentException when {@code delay} is negative
   */
  public void latency(Duration delay) {
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative, got " + delay);
    }
    latencyNanos = delay.toNanos();
  }

  /** Resets every live connection, client and server side; new connections are accepted. */
  public void cutAll() {
    for (Link link : links) {
      link.close();
    }
  }

  /** Forwards nothing in either direction until {@link #pass()}; connections stay open. */
  public void blackhole() {
    blackholed = true;
  }

  /** Connections accepted since the start. */
  public long connectionsAccepted() {
    return accepted.get();
  }

  /** Connections open right now. */
  public int liveConnections() {
    return links.size();
  }

  /** Bytes forwarded from clients to the server since the start. */
  public long bytesFromClients() {
    return fromClients.get();
  }

  /** Bytes forwarded from the server to clients since the start. */
  public long bytesFromServer() {
    return fromServer.get();
  }

  /**
   * Calls {@code listener} with a copy of every chunk forwarded from a client to the server, on the
   * forwarding thread, before the chunk is written. Chunks follow TCP reads, not message
   * boundaries. Chunks of different connections may arrive concurrently.
   *
   * @throws NullPointerException when {@code listener} is null
   */
  public void onClientBytes(Consumer<byte[]> listener) {
    clientListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Stops accepting and closes every connection. Idempotent. */
  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      // Closing a listening socket has nothing useful to report.
    }
    cutAll();
  }

  @Override
  public String toString() {
    return "FaultProxy[127.0.0.1:" + port() + " -> " + targetHost + ":" + targetPort + "]";
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        if (closed) {
          return;
        }
        continue;
      }
      accepted.incrementAndGet();
      Socket upstream = new Socket();
      try {
        client.setTcpNoDelay(true);
        upstream.setTcpNoDelay(true);
        upstream.connect(new InetSocketAddress(targetHost, targetPort), 5000);
      } catch (IOException e) {
        closeQuietly(client);
        closeQuietly(upstream);
        continue;
      }
      Link link = new Link(client, upstream);
      links.add(link);
      if (closed) {
        link.close();
        return;
      }
      int id = (int) accepted.get();
      start(name + "-" + id + "-up", () -> pump(link, client, upstream, true));
      start(name + "-" + id + "-down", () -> pump(link, upstream, client, false));
    }
  }

  private void pump(Link link, Socket from, Socket to, boolean fromClient) {
    byte[] buffer = new byte[16 * 1024];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      while (true) {
        holdWhileBlackholed(link);
        int n = in.read(buffer);
        if (n < 0) {
          break;
        }
        // Data read just before a black-hole began is held too, like everything after it.
        holdWhileBlackholed(link);
        long delay = latencyNanos;
        if (delay > 0) {
          Thread.sleep(delay / 1_000_000, (int) (delay % 1_000_000));
        }
        if (fromClient) {
          if (!clientListeners.isEmpty()) {
            byte[] chunk = Arrays.copyOf(buffer, n);
            for (Consumer<byte[]> listener : clientListeners) {
              listener.accept(chunk);
            }
          }
          fromClients.addAndGet(n);
        } else {
          fromServer.addAndGet(n);
        }
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException | RuntimeException e) {
      // A cut or a closed peer ends this direction; the link is closed below.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      link.close();
    }
  }

  private void holdWhileBlackholed(Link link) {
    while (blackholed && !link.closed) {
      LockSupport.parkNanos(BLACKHOLE_PARK_NANOS);
    }
  }

  private static void start(String threadName, Runnable body) {
    Thread thread = new Thread(body, threadName);
    thread.setDaemon(true);
    thread.start();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // Nothing to do about a socket that will not close.
    }
  }

  /** A client connection and its upstream connection, closed together. */
  private final class Link {
    final Socket client;
    final Socket upstream;
    volatile boolean closed;

    Link(Socket client, Socket upstream) {
      this.client = client;
      this.upstream = upstream;
    }

    void close() {
      closed = true;
      links.remove(this);
      for (Socket socket : new Socket[] {client, upstream}) {
        try {
          // Linger 0: the peer sees a reset, as with a broken network path, not a polite FIN.
          socket.setSoLinger(true, 0);
        } catch (IOException e) {
          // Already closed.
        }
        closeQuietly(socket);
      }
    }
  }
}
