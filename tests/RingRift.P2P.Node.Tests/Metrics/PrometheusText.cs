using System.Globalization;
using System.Text.RegularExpressions;

namespace RingRift.P2P.Node.Tests.Metrics;

/// <summary>One sample of a Prometheus text exposition: name, labels, value.</summary>
public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    public string? this[string label] => Labels.TryGetValue(label, out var value) ? value : null;
}

/// <summary>Reads the Prometheus text format (as /metrics serves it) into samples; comments and blank lines are skipped.</summary>
public static partial class PrometheusText
{
    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)(\s+\d+)?$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex("""(?<key>[a-zA-Z_][a-zA-Z0-9_]*)="(?<value>(\\.|[^"\\])*)",?""")]
    private static partial Regex Label();

    public static IReadOnlyList<PrometheusSample> Parse(string text)
    {
        var samples = new List<PrometheusSample>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var match = SampleLine().Match(line.TrimEnd('\r'));
            if (!match.Success) throw new FormatException($"not a Prometheus sample line: '{line}'");
            var labels = Label().Matches(match.Groups["labels"].Value).ToDictionary(m => m.Groups["key"].Value, m => m.Groups["value"].Value.Replace("\\\"", "\"", StringComparison.Ordinal));
            var value = match.Groups["value"].Value switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                "NaN" => double.NaN,
                var v => double.Parse(v, CultureInfo.InvariantCulture),
            };
            samples.Add(new PrometheusSample(match.Groups["name"].Value, labels, value));
        }
        return samples;
    }
}
