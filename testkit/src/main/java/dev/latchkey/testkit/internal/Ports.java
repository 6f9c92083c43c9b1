package dev.latchkey.testkit.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Free loopback ports and TCP reachability. */
public final class Ports {

  private Ports() {}

  /**
   * A port that was free on 127.0.0.1 a moment ago. Another process may take it before the caller
   * binds it, so callers retry a failed start on a new port.
   */
  public static int freeLoopbackPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port on 127.0.0.1", e);
    }
  }

  /** True when something accepts a TCP connection on host:port within {@code timeoutMillis}. */
  public static boolean accepts(String host, int port, int timeoutMillis) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), timeoutMillis);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
