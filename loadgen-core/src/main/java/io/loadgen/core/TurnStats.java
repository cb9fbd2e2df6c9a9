package io.loadgen.core;

/**
 * A sessions run's figures for one turn number, over the successful requests that were that turn of
 * their session: how the prompt grows and what it does to TTFT and latency as a chat goes on. Times
 * in ms, at 3 significant digits, as the run's distributions.
 *
 * @param turn the turn number, from 1
 * @param requests successful requests that were this turn
 * @param inputSequenceLengthAvg their mean input length: the conversation so far and the new
 *     message
 */
public record TurnStats(
    int turn,
    long requests,
    double inputSequenceLengthAvg,
    double timeToFirstTokenAvgMillis,
    double timeToFirstTokenP50Millis,
    double timeToFirstTokenP99Millis,
    double requestLatencyAvgMillis,
    double requestLatencyP50Millis,
    double requestLatencyP99Millis) {}
