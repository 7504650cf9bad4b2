using System.Text.Json;

namespace RingRift.P2P.Bench;

/// <summary>The soak's JSON lines, written whole and flushed at once from any of its loops.</summary>
public sealed class SoakOutput(TextWriter writer)
{
    private readonly Lock _gate = new();

    public void Write(object line)
    {
        var text = JsonSerializer.Serialize(line);
        lock (_gate)
        {
            writer.WriteLine(text);
            writer.Flush();
        }
    }

    /// <summary>A figure rounded for output; null stays null.</summary>
    public static double? Round(double? value, int digits = 1) => value is { } v ? Math.Round(v, digits) : null;

    /// <summary>"yes", "no", or "n/a" when there was nothing to judge.</summary>
    public static string Verdict(bool? met) => met switch { true => "yes", false => "no", null => "n/a" };
}
