using System.Globalization;

namespace RingRift.P2P.Bench;

/// <summary>--name value options for the bench sub-commands.</summary>
public static class BenchArgs
{
    public static double Get(string[] args, string name, double defaultValue)
    {
        var i = Array.IndexOf(args, name);
        if (i < 0) return defaultValue;
        if (i + 1 >= args.Length || !double.TryParse(args[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v) || v <= 0)
            throw new ArgumentException($"{name} needs a positive number");
        return v;
    }

    public static int GetInt(string[] args, string name, int defaultValue) => (int)Get(args, name, defaultValue);

    public static string GetString(string[] args, string name, string defaultValue)
    {
        var i = Array.IndexOf(args, name);
        if (i < 0) return defaultValue;
        return i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{name} needs a value");
    }

    /// <summary>
    /// <c>--node-program PATH</c> as a full path (node processes run from that build), or null: the node
    /// this bench was built with.
    /// </summary>
    public static string? GetNodeProgram(string[] args)
    {
        var path = GetString(args, "--node-program", "");
        return path.Length > 0 ? Path.GetFullPath(path) : null;
    }

    /// <summary>The value at quantile q (0..1) of sorted samples, nearest-rank.</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double q) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];
}
