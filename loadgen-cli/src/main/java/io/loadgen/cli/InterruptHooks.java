package io.loadgen.cli;

/**
 * Where {@code profile} installs what Ctrl-C runs: the JVM's shutdown hooks, or, in a test, a hand
 * that runs the hook as the JVM would (start it, wait for it) without a signal. The JVM halts as
 * soon as its hooks return, so whatever must be on disk after Ctrl-C is written before the hook
 * returns.
 */
interface InterruptHooks {
  /** The JVM's shutdown hooks. */
  InterruptHooks JVM =
      new InterruptHooks() {
        @Override
        public void add(Thread hook) {
          Runtime.getRuntime().addShutdownHook(hook);
        }

        @Override
        public void remove(Thread hook) {
          try {
            Runtime.getRuntime().removeShutdownHook(hook);
          } catch (IllegalStateException shuttingDown) {
            // The JVM is exiting (Ctrl-C); the hook is already running and waits for the exports.
          }
        }
      };

  void add(Thread hook);

  void remove(Thread hook);
}
