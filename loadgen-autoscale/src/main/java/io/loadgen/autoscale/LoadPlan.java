package io.loadgen.autoscale;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The load a rehearsal offers, phase after phase: {@code "10@5m,100@5m,200@10m,10@10m"} is a
 * concurrency of 10 for five minutes, then 100, 200 and 10 again; {@code "rate:5@2m"} is a request
 * rate of 5 per second (Poisson arrivals) for two minutes. Durations take {@code s}, {@code m} or
 * {@code h}.
 */
public record LoadPlan(List<Phase> phases) {
  /**
   * One phase: a closed loop of {@code level} users, or an open loop of {@code level} requests a
   * second, for {@code duration}.
   */
  public record Phase(boolean rate, double level, Duration duration) {
    public Phase {
      if (!(level > 0) || Double.isInfinite(level)) {
        throw new AutoscaleException("a load plan's level must be positive, got " + level);
      }
      if (!rate && level != Math.rint(level)) {
        throw new AutoscaleException(
            "a concurrency is a whole number of users, got " + level + " (use rate: for a rate)");
      }
      if (duration.isNegative() || duration.isZero()) {
        throw new AutoscaleException("a load plan's phase must last some time");
      }
    }
  }

  public LoadPlan {
    phases = List.copyOf(phases);
    if (phases.isEmpty()) {
      throw new AutoscaleException("a load plan needs at least one phase");
    }
  }

  /**
   * Reads a plan as the {@code --plan} flag takes it.
   *
   * @throws AutoscaleException naming the part that does not parse
   */
  public static LoadPlan parse(String text) {
    List<Phase> phases = new ArrayList<>();
    for (String part : text.split(",")) {
      String p = part.trim();
      int at = p.indexOf('@');
      if (at <= 0 || at == p.length() - 1) {
        throw new AutoscaleException(
            "--plan part '" + p + "' is not LEVEL@DURATION, e.g. 100@5m or rate:5@2m");
      }
      String level = p.substring(0, at);
      boolean rate = level.startsWith("rate:");
      if (rate) {
        level = level.substring("rate:".length());
      }
      double value;
      try {
        value = Double.parseDouble(level);
      } catch (NumberFormatException e) {
        throw new AutoscaleException("--plan part '" + p + "': '" + level + "' is not a number");
      }
      phases.add(new Phase(rate, value, duration(p, p.substring(at + 1))));
    }
    return new LoadPlan(phases);
  }

  private static Duration duration(String part, String text) {
    String t = text.toLowerCase(Locale.ROOT);
    char unit = t.charAt(t.length() - 1);
    long scale =
        switch (unit) {
          case 's' -> 1;
          case 'm' -> 60;
          case 'h' -> 3600;
          default -> -1;
        };
    String number = scale < 0 ? t : t.substring(0, t.length() - 1);
    try {
      double seconds = Double.parseDouble(number) * (scale < 0 ? 1 : scale);
      if (!(seconds > 0) || Double.isInfinite(seconds)) {
        throw new NumberFormatException();
      }
      return Duration.ofMillis(Math.round(seconds * 1000));
    } catch (NumberFormatException e) {
      throw new AutoscaleException(
          "--plan part '" + part + "': '" + text + "' is not a duration, e.g. 90s, 5m or 1h");
    }
  }

  /** The plan's whole length. */
  public Duration duration() {
    Duration total = Duration.ZERO;
    for (Phase phase : phases) {
      total = total.plus(phase.duration());
    }
    return total;
  }

  /** As the flag takes it. */
  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    for (Phase phase : phases) {
      String level = phase.rate() ? "rate:" + phase.level() : String.valueOf((long) phase.level());
      parts.add(level + "@" + phase.duration().toMillis() / 1000.0 + "s");
    }
    return String.join(",", parts);
  }
}
