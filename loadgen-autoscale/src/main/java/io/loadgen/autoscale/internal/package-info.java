/** The autoscaling models behind the public API of {@code io.loadgen.autoscale}. */
package io.loadgen.autoscale.internal;
