package dev.latchkey.testkit.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Whether a Docker engine answers, checked with {@code GET /_ping} on {@code DOCKER_HOST} (a
 * {@code unix://} or {@code tcp://} address) or on {@code /var/run/docker.sock}. A docker client
 * binary alone is not an engine. The check is cheap and never loads Testcontainers.
 */
public final class Docker {

  private static final byte[] PING =
      "GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private Docker() {}

  /** True when the engine named by {@code env} (or the default socket) answers a ping. */
  public static boolean engineAnswers(Map<String, String> env) {
    String host = env.getOrDefault("DOCKER_HOST", "unix:///var/run/docker.sock");
    try {
      URI uri = URI.create(host);
      if ("unix".equals(uri.getScheme())) {
        return pingUnix(Path.of(uri.getPath()));
      }
      if ("tcp".equals(uri.getScheme()) && uri.getHost() != null && uri.getPort() > 0) {
        return pingTcp(uri.getHost(), uri.getPort());
      }
      return false;
    } catch (IllegalArgumentException | IOException e) {
      return false;
    }
  }

  /** True when Testcontainers is on the class path (it is an optional dependency of the kit). */
  public static boolean testcontainersPresent() {
    try {
      Class.forName("org.testcontainers.containers.GenericContainer", false,
          Docker.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  private static boolean pingUnix(Path socket) throws IOException {
    if (!Files.exists(socket)) {
      return false;
    }
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
         Selector selector = Selector.open()) {
      // A socket with nobody behind it fails on connect; a stuck engine must not hang the test.
      channel.connect(UnixDomainSocketAddress.of(socket));
      channel.write(ByteBuffer.wrap(PING));
      channel.configureBlocking(false);
      channel.register(selector, SelectionKey.OP_READ);
      if (selector.select(2000) == 0) {
        return false;
      }
      ByteBuffer reply = ByteBuffer.allocate(512);
      channel.read(reply);
      String text = new String(reply.array(), 0, reply.position(), StandardCharsets.US_ASCII);
      return text.startsWith("HTTP/1.") && text.contains(" 200 ");
    }
  }

  private static boolean pingTcp(String host, int port) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 1000);
      socket.setSoTimeout(2000);
      OutputStream out = socket.getOutputStream();
      out.write(PING);
      out.flush();
      InputStream in = socket.getInputStream();
      String text = new String(in.readNBytes(64), StandardCharsets.US_ASCII);
      return text.startsWith("HTTP/1.") && text.contains(" 200 ");
    }
  }
}
