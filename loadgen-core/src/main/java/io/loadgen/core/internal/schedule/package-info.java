/**
 * schedule: when each request is sent, in open loop. The intended send times of a run, fixed by its
 * rate, arrival process and seed alone, never by how the server or the client is doing; every
 * latency of an open-loop run is measured from them, as wrk2 measures.
 */
package io.loadgen.core.internal.schedule;
