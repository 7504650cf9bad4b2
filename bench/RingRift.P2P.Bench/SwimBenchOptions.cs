using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using RingRift.P2P.Swim;

namespace RingRift.P2P.Bench;

/// <summary>Options and output helpers shared by the <c>swim-kill</c>, <c>swim-member</c> and
/// <c>swim-dissemination</c> sub-commands.</summary>
public static class SwimBenchOptions
{
    /// <summary>JSON output that writes NaN (an empty sample set) instead of throwing.</summary>
    public static JsonSerializerOptions Json { get; } = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The <see cref="SwimConfig"/> named by <c>--preset</c> (default, seed or lan; default by default) with the
    /// <see cref="SwimConfigArgs"/> overrides applied.</summary>
    public static SwimConfig Preset(string[] args, out string name)
    {
        name = Text(args, "--preset", "default");
        SwimConfig preset = name switch
        {
            "default" => SwimConfig.Default,
            "seed" => SwimConfig.Seed,
            "lan" => SwimConfig.Lan,
            _ => throw new ArgumentException($"--preset is '{name}'; allowed: default, seed, lan."),
        };
        return SwimConfigArgs.Apply(preset, args);
    }

    public static string Text(string[] args, string name, string defaultValue)
    {
        int i = Array.IndexOf(args, name);
        if (i < 0)
        {
            return defaultValue;
        }

        return i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{name} needs a value.");
    }

    /// <summary>True when the bare flag <paramref name="name"/> is present.</summary>
    public static bool Flag(string[] args, string name) => Array.IndexOf(args, name) >= 0;

    /// <summary>A whole number ≥ <paramref name="lowest"/> after <paramref name="name"/>, or the default.</summary>
    public static int Int(string[] args, string name, int defaultValue, int lowest)
    {
        string text = Text(args, name, defaultValue.ToString(CultureInfo.InvariantCulture));
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value < lowest)
        {
            throw new ArgumentException($"{name} is '{text}'; allowed: a whole number >= {lowest}.");
        }

        return value;
    }

    /// <summary>A finite number ≥ <paramref name="lowest"/> after <paramref name="name"/>, or the default.</summary>
    public static double Number(string[] args, string name, double defaultValue, double lowest)
    {
        string text = Text(args, name, defaultValue.ToString(CultureInfo.InvariantCulture));
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value) || value < lowest)
        {
            throw new ArgumentException($"{name} is '{text}'; allowed: a number >= {lowest.ToString(CultureInfo.InvariantCulture)}.");
        }

        return value;
    }

    /// <summary>Datagram loss after <c>--loss</c> in [0, 1); 0.05 by default.</summary>
    public static double Loss(string[] args)
    {
        double loss = Number(args, "--loss", 0.05, 0);
        if (loss >= 1)
        {
            throw new ArgumentException($"--loss is {loss.ToString(CultureInfo.InvariantCulture)}; allowed: a number in [0, 1).");
        }

        return loss;
    }

    /// <summary>Rounds to 3 decimals for the JSON lines.</summary>
    public static double Round(double value) => Math.Round(value, 3);

    /// <summary>Rounds to 1 decimal (milliseconds) for the JSON lines.</summary>
    public static double RoundMs(double value) => Math.Round(value, 1);
}
