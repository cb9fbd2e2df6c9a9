package io.loadgen.core.internal.client;

import io.vertx.core.http.HttpConnection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Which of one event loop's open connections have carried a request, so that an {@link Exchange}
 * knows whether its request went out on a connection the pool kept alive. Vert.x does not say: a
 * pooled request's connection looks the same whether it is new or reused. Confined to the loop's
 * thread, like the connections; each is forgotten when it closes, so the set never holds more than
 * the pool.
 */
public final class ConnectionUses {
  private final Set<HttpConnection> used = Collections.newSetFromMap(new IdentityHashMap<>());

  /**
   * Notes that {@code connection} carries a request; true when it carried one before, that is, the
   * pool kept it alive after an earlier response and handed it out again.
   */
  boolean reuse(HttpConnection connection) {
    if (used.add(connection)) {
      connection.closeHandler(v -> used.remove(connection));
      return false;
    }
    return true;
  }
}
