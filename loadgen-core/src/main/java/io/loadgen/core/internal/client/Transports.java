package io.loadgen.core.internal.client;

import io.loadgen.core.Transport;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

/** Starts the client's Vert.x on the transport a profile asks for, falling back to NIO. */
public final class Transports {
  private Transports() {}

  /**
   * A Vert.x with {@code eventLoops} event loops on {@code transport} (NIO where it cannot load).
   */
  public static Vertx vertx(Transport transport, int eventLoops) {
    VertxOptions options =
        new VertxOptions()
            .setEventLoopPoolSize(eventLoops)
            .setWorkerPoolSize(1)
            .setPreferNativeTransport(transport != Transport.NIO);
    io.vertx.core.transport.Transport chosen =
        switch (transport) {
          case AUTO -> io.vertx.core.transport.Transport.nativeTransport();
          case EPOLL -> io.vertx.core.transport.Transport.EPOLL;
          case IO_URING -> io.vertx.core.transport.Transport.IO_URING;
          case NIO -> io.vertx.core.transport.Transport.NIO;
        };
    if (chosen == null) {
      chosen = io.vertx.core.transport.Transport.NIO;
    }
    return Vertx.builder().with(options).withTransport(chosen).build();
  }

  /** The transport a running Vert.x uses: {@code epoll}, {@code io_uring} or {@code nio}. */
  public static String name(Vertx vertx) {
    if (!vertx.isNativeTransportEnabled()) {
      return "nio";
    }
    String implementation =
        ((io.vertx.core.internal.VertxInternal) vertx).transport().getClass().getSimpleName();
    return implementation.startsWith("IoUring")
        ? "io_uring"
        : implementation.startsWith("Epoll") ? "epoll" : "nio";
  }
}
