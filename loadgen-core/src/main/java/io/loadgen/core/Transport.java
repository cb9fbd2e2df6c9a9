package io.loadgen.core;

/**
 * The socket layer under the client's event loops. Linux's native transports (Netty's epoll and
 * io_uring) make fewer system calls and copies per read than Java's NIO; where none loads (another
 * OS, a missing native file, io_uring refused by the kernel), the run uses NIO.
 */
public enum Transport {
  /** epoll where it loads, else io_uring, else NIO. */
  AUTO,
  /** Netty's epoll transport (Linux), else NIO. */
  EPOLL,
  /** Netty's io_uring transport (Linux 5.14 and later), else NIO. */
  IO_URING,
  /** Java NIO, on every platform. */
  NIO
}
