package io.loadgen.autoscale;

import io.loadgen.autoscale.internal.Simulation;

/**
 * Rehearses an autoscaler in simulated time: the load plan against replicas of a simulated engine,
 * scaled by a model of the Kubernetes HPA on their KV-cache gauge. A 30-minute plan runs in
 * seconds; the same spec and seed give the same timeline.
 */
public final class Rehearsal {
  private Rehearsal() {}

  /** Runs {@code spec}'s plan to its end. */
  public static RehearsalResult run(RehearsalSpec spec) {
    Simulation simulation = new Simulation(spec);
    simulation.run();
    return new RehearsalResult(spec, simulation.windows(), simulation.syncs());
  }
}
