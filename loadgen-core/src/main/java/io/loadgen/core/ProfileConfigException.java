package io.loadgen.core;

/**
 * A profile asks for something impossible or malformed. The message is written for the user: what
 * is wrong and what to give instead. It names the setting in the Java API's terms ({@link
 * #setting()}, a {@link Profile.Builder} method's name), so that a front end can name its own flag
 * instead: the CLI prints {@code --request-count must be 0 or more} where the API says {@code
 * requestCount must be 0 or more}, and exits with status 2 (a usage error).
 */
public final class ProfileConfigException extends LoadgenException {
  private static final long serialVersionUID = 1L;

  private final String setting;
  private final String problem;

  /**
   * @param message the whole message, for a problem that is not one setting's
   */
  public ProfileConfigException(String message) {
    super(message);
    this.setting = null;
    this.problem = message;
  }

  /**
   * @param setting the setting at fault, as the builder names it (e.g. {@code requestCount})
   * @param problem what is wrong with it, to follow its name (e.g. {@code must be 0 or more, got
   *     -1})
   */
  public ProfileConfigException(String setting, String problem) {
    super(setting + " " + problem);
    this.setting = setting;
    this.problem = problem;
  }

  /**
   * The setting at fault, as {@link Profile.Builder} names it; null when the problem is not one
   * setting's.
   */
  public String setting() {
    return setting;
  }

  /**
   * What is wrong, without the setting's name; the whole message when {@link #setting()} is null.
   */
  public String problem() {
    return problem;
  }
}
