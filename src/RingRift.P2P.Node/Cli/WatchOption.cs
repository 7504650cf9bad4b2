using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace RingRift.P2P.Node.Cli;

/// <summary><c>--watch [seconds]</c>: redraw every so many seconds until Ctrl-C; bare <c>--watch</c> is every 2 s.</summary>
public static class WatchOption
{
    public const double DefaultSeconds = 2;
    public const double MinSeconds = 0.5;
    public const double MaxSeconds = 3600;

    /// <summary>The option; its value is null when not given, else the interval in seconds.</summary>
    public static Option<double?> Create() => new("--watch")
    {
        Description = $"Redraw every S seconds (bare --watch: every {DefaultSeconds:0} s) until Ctrl-C; with --json, one JSON line per refresh",
        Arity = ArgumentArity.ZeroOrOne,
        CustomParser = Parse,
    };

    private static double? Parse(ArgumentResult result)
    {
        if (result.Tokens.Count == 0) return DefaultSeconds;
        var text = result.Tokens[0].Value;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds is >= MinSeconds and <= MaxSeconds)
            return seconds;
        result.AddError($"--watch takes a number of seconds from {MinSeconds} to {MaxSeconds}, got '{text}'");
        return null;
    }
}
