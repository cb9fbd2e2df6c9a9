/**
 * Time: the monotonic clock every duration is measured with, behind an interface so that a test can
 * drive it instead of waiting.
 */
package io.loadgen.core.internal.time;
