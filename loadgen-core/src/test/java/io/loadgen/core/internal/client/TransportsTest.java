package io.loadgen.core.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loadgen.core.Transport;
import io.vertx.core.Vertx;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

class TransportsTest {

  @Test
  @EnabledOnOs(
      value = OS.LINUX,
      architectures = {"amd64", "aarch64"})
  void linuxGetsNettysEpollTransportByDefault() {
    assertEquals("epoll", nameOf(Transport.AUTO));
    assertEquals("epoll", nameOf(Transport.EPOLL));
  }

  @Test
  void nioIsUsedWhenAskedFor() {
    assertEquals("nio", nameOf(Transport.NIO));
  }

  @Test
  void ioUringRunsWhereTheKernelAllowsItAndFallsBackToNioWhereNot() {
    // Containers often forbid io_uring's system calls; the run must still start.
    assertTrue(Set.of("io_uring", "nio").contains(nameOf(Transport.IO_URING)));
  }

  private static String nameOf(Transport transport) {
    Vertx vertx = Transports.vertx(transport, 1);
    try {
      return Transports.name(vertx);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().join();
    }
  }
}
