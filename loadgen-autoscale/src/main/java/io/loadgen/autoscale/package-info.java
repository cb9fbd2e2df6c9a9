/**
 * From a sweep to an autoscaler: {@code plan} reads a sweep's artifacts and SLOs and recommends a
 * Horizontal Pod Autoscaler target on the server's KV-cache gauge, with the manifests to apply;
 * {@code rehearse} runs replicas of the simulated engine behind a Service, Prometheus,
 * prometheus-adapter and the HPA controller on a virtual clock, so the target is tried under a load
 * plan before a GPU is spent. The models themselves live under {@code
 * io.loadgen.autoscale.internal}; the types here are listed in {@code
 * loadgen-autoscale/api/loadgen-autoscale.api}.
 */
package io.loadgen.autoscale;
