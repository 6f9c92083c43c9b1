package dev.latchkey.testkit.internal;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A one-shot RESP2 client on a plain socket: connect, send one command, read one reply, close. The
 * kit uses it to probe and configure servers without starting a Lettuce client (and its threads).
 */
public final class Resp {

  private Resp() {}

  /**
   * Sends one command and returns its reply: a {@code String} for simple and bulk strings, a
   * {@code Long} for integers, a {@code List} for arrays, {@code null} for a null reply.
   *
   * @throws IOException when the server cannot be reached, times out or answers with an error
   */
  public static Object call(String host, int port, int timeoutMillis, String... args)
      throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), timeoutMillis);
      socket.setSoTimeout(timeoutMillis);
      OutputStream out = socket.getOutputStream();
      out.write(encode(args));
      out.flush();
      return read(new BufferedInputStream(socket.getInputStream()));
    }
  }

  /** True when host:port answers PING with PONG within {@code timeoutMillis}. */
  public static boolean pings(String host, int port, int timeoutMillis) {
    try {
      return "PONG".equals(call(host, port, timeoutMillis, "PING"));
    } catch (IOException e) {
      return false;
    }
  }

  static byte[] encode(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    write(out, "*" + args.length + "\r\n");
    for (String arg : args) {
      byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
      write(out, "$" + bytes.length + "\r\n");
      out.write(bytes, 0, bytes.length);
      write(out, "\r\n");
    }
    return out.toByteArray();
  }

  private static void write(ByteArrayOutputStream out, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
    out.write(bytes, 0, bytes.length);
  }

  private static Object read(InputStream in) throws IOException {
    int type = in.read();
    if (type < 0) {
      throw new IOException("connection closed before a reply");
    }
    String line = readLine(in);
    switch (type) {
      case '+':
        return line;
      case '-':
        throw new IOException("Redis error: " + line);
      case ':':
        return Long.parseLong(line);
      case '$': {
        int length = Integer.parseInt(line);
        if (length < 0) {
          return null;
        }
        byte[] data = in.readNBytes(length + 2);
        if (data.length != length + 2) {
          throw new IOException("connection closed inside a bulk reply");
        }
        return new String(data, 0, length, StandardCharsets.UTF_8);
      }
      case '*': {
        int count = Integer.parseInt(line);
        if (count < 0) {
          return null;
        }
        List<Object> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          items.add(read(in));
        }
        return items;
      }
      default:
        throw new IOException("not a RESP reply: " + (char) type + line);
    }
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int previous = -1;
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed inside a reply");
      }
      if (previous == '\r' && b == '\n') {
        byte[] bytes = line.toByteArray();
        return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
      }
      line.write(b);
      previous = b;
    }
  }
}
