using System.Text.Json.Nodes;
using RingRift.P2P.Node.Cli;
using Spectre.Console.Rendering;
using Spectre.Console.Testing;

namespace RingRift.P2P.Node.Tests.Cli;

/// <summary>
/// API answers recorded from a three-node <c>local-cluster --demo</c> (Cli/Recorded/*.json), and rendering
/// them as an 80-column terminal would show them.
/// </summary>
internal static class Recorded
{
    /// <summary>Columns of the terminal the views must fit.</summary>
    public const int Width = 80;

    /// <summary>A moment just after the recordings, shown in UTC: ages and clock times come out the same on every machine.</summary>
    public static readonly ViewContext Context = new(DateTimeOffset.FromUnixTimeMilliseconds(1_796_561_005_000), TimeZoneInfo.Utc);

    public static JsonNode Load(string name) => JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Cli", "Recorded", name)))!;

    /// <summary>The lines <paramref name="view"/> prints at 80 columns, trailing blanks removed; fails when one is wider.</summary>
    public static string[] Render(IRenderable view)
    {
        var console = new TestConsole().Width(Width);
        console.Write(view);
        var lines = console.Output.Replace("\r", "").TrimEnd('\n').Split('\n');
        foreach (var line in lines)
            Assert.True(line.Length <= Width, $"a line is {line.Length} columns wide:\n{line}\n\n{console.Output}");
        return [.. lines.Select(l => l.TrimEnd())];
    }

    /// <summary>The one line that holds every one of <paramref name="parts"/> (a table row that did not wrap).</summary>
    public static string LineWith(string[] lines, params string[] parts)
    {
        var found = lines.Where(l => parts.All(p => l.Contains(p, StringComparison.Ordinal))).ToArray();
        Assert.True(found.Length == 1, $"expected one line with {string.Join(" + ", parts)}, found {found.Length}:\n{string.Join('\n', lines)}");
        return found[0];
    }
}
