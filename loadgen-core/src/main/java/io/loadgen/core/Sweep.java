package io.loadgen.core;

import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A profile run at several load levels, one after another: genai-perf's {@code --concurrency
 * 10,20,40} (or a list of rates). Every level is the base profile with that {@link LoadMode}; the
 * tokenizer is loaded once, and each {@code sim://} target started once, for all of them. The sweep
 * ends early when a level is stopped. Immutable; run it with {@link LoadGenerator#run(Sweep)}.
 *
 * <pre>{@code
 * Sweep sweep = Sweep.of(profile, List.of(new LoadMode.Concurrency(10), new LoadMode.Concurrency(40)))
 *     .onEachLevel(result -> System.out.println(result.stats(Metric.TIME_TO_FIRST_TOKEN).p99()));
 * List<ProfileResult> results = LoadGenerator.run(sweep);
 * }</pre>
 */
public final class Sweep {
  private final Profile base;
  private final List<LoadMode> levels;
  private final Function<Profile, RunOptions> options;
  private final Consumer<ProfileResult> onEachLevel;

  private Sweep(
      Profile base,
      List<LoadMode> levels,
      Function<Profile, RunOptions> options,
      Consumer<ProfileResult> onEachLevel) {
    this.base = Objects.requireNonNull(base, "base");
    this.levels = List.copyOf(levels);
    this.options = Objects.requireNonNull(options, "options");
    this.onEachLevel = Objects.requireNonNull(onEachLevel, "onEachLevel");
    if (this.levels.isEmpty()) {
      throw new ProfileConfigException("levels", "is empty: give at least one load level");
    }
  }

  /** The base profile at each of {@code levels}, in order. */
  public static Sweep of(Profile base, List<? extends LoadMode> levels) {
    return new Sweep(base, List.copyOf(levels), level -> RunOptions.defaults(), result -> {});
  }

  /** One level: the profile as it is. */
  public static Sweep of(Profile profile) {
    return of(profile, List.of(profile.load().mode()));
  }

  /**
   * This sweep, running each level with the options {@code perLevel} gives for its profile (a raw
   * export per level, for example). The first level's tokenizer, if any, counts for every level.
   */
  public Sweep withOptions(Function<Profile, RunOptions> perLevel) {
    return new Sweep(base, levels, perLevel, onEachLevel);
  }

  /** This sweep, handing each level's result to {@code listener} as soon as the level ends. */
  public Sweep onEachLevel(Consumer<ProfileResult> listener) {
    return new Sweep(base, levels, options, listener);
  }

  public Profile base() {
    return base;
  }

  public List<LoadMode> levels() {
    return levels;
  }

  /**
   * The profile of each level, in order. Only the first keeps the base's {@link Load#startAt()}:
   * the others start when the level before them ends.
   */
  public List<Profile> profiles() {
    List<Profile> profiles = new java.util.ArrayList<>();
    for (LoadMode level : levels) {
      Profile profile = base.withLoadMode(level);
      profiles.add(
          profiles.isEmpty() || profile.load().startAt() == null
              ? profile
              : profile.toBuilder().startAt(null).build());
    }
    return List.copyOf(profiles);
  }

  /** The options for one level's run. */
  RunOptions options(Profile level) {
    return options.apply(level);
  }

  /** Hands a level's result to the listener. */
  void levelDone(ProfileResult result) {
    onEachLevel.accept(result);
  }
}
