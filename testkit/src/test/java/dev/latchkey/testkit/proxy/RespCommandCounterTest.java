package dev.latchkey.testkit.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RespCommandCounterTest {

  @Test
  void accept_commandsSplitAcrossChunks_countsEachOnce() {
    RespCommandCounter counter = new RespCommandCounter();
    byte[] stream = ("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nvalue\r\n"
        + "*2\r\n$7\r\nevalsha\r\n$2\r\nab\r\nPING\r\n").getBytes(StandardCharsets.UTF_8);

    for (byte b : stream) {
      counter.accept(new byte[] {b});
    }

    assertThat(counter.count()).isEqualTo(3);
    assertThat(counter.commandNames()).containsExactly("SET", "EVALSHA", "PING");
    assertThat(counter.commands().get(0)).isEqualTo(List.of("SET", "k", "value"));
  }

  @Test
  void reset_forgetsCountedCommandsButKeepsAPartialOne() {
    RespCommandCounter counter = new RespCommandCounter();
    counter.accept("*1\r\n$4\r\nPING\r\n*1\r\n$4\r\nPI".getBytes(StandardCharsets.UTF_8));
    counter.reset();
    counter.accept("NG\r\n".getBytes(StandardCharsets.UTF_8));

    assertThat(counter.commandNames()).containsExactly("PING");
  }
}
