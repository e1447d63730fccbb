package org.adpo.cli;

import java.io.PrintStream;
import java.util.Map;

/**
 * One command of {@code bin/adpo}: its name, its line in {@code bin/adpo --help}, its own {@code --help}
 * text, the option table a command line of it is parsed with, and what it runs. {@link Main} takes all of
 * these from the command's one object ({@link Main#COMMANDS} lists them): {@code --help} prints
 * {@link #help()}, {@link Main#parseOnly} calls {@link #options} and stops, and a run calls
 * {@link #options} and then {@link #run} with what it parsed.
 */
abstract class Command {
  /**
   * The option table one command line is parsed with: the name its messages use ("select", "online
   * init"), the index of its first option in the command line, and the declared options.
   */
  record Table(String label, int from, Map<String, Options.Kind> options) {}

  private final String name;
  private final String summary;
  private final String help;

  /**
   * @param summary the command's line in {@code bin/adpo --help} (may hold '\n' for continuation lines)
   * @param help its {@code --help} text, or null for a name that is refused whatever its options
   */
  Command(String name, String summary, String help) {
    this.name = name;
    this.summary = summary;
    this.help = help;
  }

  final String name() {
    return name;
  }

  final String summary() {
    return summary;
  }

  /** The {@code --help} text, or null when the command has none (then {@code --help} is refused as its options are). */
  final String help() {
    return help;
  }

  /** False for a name this jar only knows in order to say where the command is ({@code embed}). */
  boolean inThisJar() {
    return true;
  }

  /**
   * The option table of {@code args} ({@code args[0]} is the command's name). A command with steps
   * ({@code online init|next|...}) checks the step here and throws {@link org.adpo.error.UsageException}
   * for a missing or unknown one.
   */
  abstract Table table(String[] args);

  /** Runs the command line {@code args} whose options {@link #options} parsed; returns the exit code. */
  abstract int run(String[] args, Options options, PrintStream out);

  /**
   * Parses {@code args} with {@link #table}: every option declared, typed and given once, or a
   * {@link org.adpo.error.UsageException} with the message the user sees. Runs nothing.
   */
  final Options options(String[] args) {
    Table t = table(args);
    return Options.parse(t.label(), args, t.from(), t.options());
  }

  /** A command with one option table, parsed from {@code args[1]} on. */
  abstract static class Simple extends Command {
    private final Map<String, Options.Kind> options;

    Simple(String name, String summary, String help, Map<String, Options.Kind> options) {
      super(name, summary, help);
      this.options = options;
    }

    @Override
    final Table table(String[] args) {
      return new Table(name(), 1, options);
    }
  }
}
