using System.CommandLine;
using Spectre.Console;

namespace RingRift.P2P.Node.Cli;

/// <summary>
/// Where a command writes: its stdout and stderr (from the invocation configuration, so tests can
/// capture them) and a Spectre console on that stdout: the terminal's own console when stdout is the
/// process's, else a plain 80-column one without colours.
/// </summary>
public sealed record CliOutput(TextWriter Out, TextWriter Error, IAnsiConsole Console)
{
    /// <summary>The columns of a console that is not a terminal (a captured writer).</summary>
    public const int PlainWidth = 80;

    public static CliOutput Of(ParseResult parse)
    {
        var configuration = parse.InvocationConfiguration;
        return new CliOutput(configuration.Output, configuration.Error, ConsoleOn(configuration.Output));
    }

    private static IAnsiConsole ConsoleOn(TextWriter writer)
    {
        if (ReferenceEquals(writer, System.Console.Out)) return AnsiConsole.Console;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = PlainWidth;
        return console;
    }
}
