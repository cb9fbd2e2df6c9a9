/**
 * client: a request onto the wire and its response off it. {@code RequestBodies} serialises the
 * OpenAI request bodies; {@code Transports} starts the client's Vert.x on a native transport where
 * one loads; an {@code Exchange} sends one request on its event loop, stamps each network buffer's
 * arrival, feeds it to the SSE parser and ends in an outcome for the recorder; {@code
 * ResponseCounter} counts content responses for the progress line; {@code ErrorKinds} names
 * transport failures.
 */
package io.loadgen.core.internal.client;
