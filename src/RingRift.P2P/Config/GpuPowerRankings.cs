using System.Collections.ObjectModel;

namespace RingRift.P2P.Config;

/// <summary>
/// Relative GPU throughput for job scheduling, the seed's <c>GPU_POWER_RANKINGS</c>
/// (H100 = 1.0 is the baseline), and the mapping from real GPU names to its rows.
/// </summary>
/// <remarks>
/// <para><see cref="KeyOf"/> upper-cases the name, splits it into alphanumeric tokens
/// ("NVIDIA A100-SXM4-80GB" → NVIDIA, A100, SXM4, 80GB) and looks for a model token. A token
/// matches a model when it equals it or continues with letters only ("A10G" is an A10, "H100NVL"
/// an H100) but never with digits, so "A100" is not an A10, and "GH200" is not an H200 because
/// matching starts at the token's first character. Rows are tried from most to least specific:
/// GH200, H100, A100, RTX_5090, RTX_4090, A10.</para>
/// <para>H200 and H800 map to the H100 row: they are Hopper parts with H100 compute; the H200's
/// extra memory does not change self-play throughput enough to earn a row of its own.</para>
/// <para>Any other non-empty GPU name (T4, L4, V100, RTX 3090, RTX A6000, …) gets the A10 row's
/// 0.4, the floor for an unknown CUDA GPU: any GPU beats a CPU-only node, and taking the lowest
/// GPU row means an unknown card is never ranked above a known faster one. Null, empty or
/// whitespace, and names that say there is no GPU ("CPU", "none", "N/A"), map to CPU.</para>
/// </remarks>
public static class GpuPowerRankings
{
    public const string GH200 = "GH200";
    public const string H100 = "H100";
    public const string A100 = "A100";
    public const string Rtx5090 = "RTX_5090";
    public const string Rtx4090 = "RTX_4090";
    public const string A10 = "A10";
    public const string Cpu = "CPU";

    /// <summary>The row an unknown, non-empty GPU name maps to.</summary>
    public const string UnknownGpu = A10;

    /// <summary>
    /// The seed's table in order, fastest first: GH200 1.2, H100 1.0, A100 0.8, RTX_5090 0.7,
    /// RTX_4090 0.5, A10 0.4, CPU 0.1. Keys compare case-insensitively.
    /// </summary>
    public static IReadOnlyDictionary<string, double> All { get; } = new ReadOnlyDictionary<string, double>(
        new OrderedDictionary<string, double>(StringComparer.OrdinalIgnoreCase)
        {
            [GH200] = 1.2,
            [H100] = 1.0,
            [A100] = 0.8,
            [Rtx5090] = 0.7,
            [Rtx4090] = 0.5,
            [A10] = 0.4,
            [Cpu] = 0.1,
        });

    // Most specific first; each row lists the model tokens that select it.
    private static readonly (string Row, string[] Models)[] Matchers =
    [
        (GH200, ["GH200"]),
        (H100, ["H100", "H200", "H800"]),
        (A100, ["A100"]),
        (Rtx5090, ["5090", "RTX5090"]),
        (Rtx4090, ["4090", "RTX4090"]),
        (A10, ["A10"]),
    ];

    private static readonly HashSet<string> NoGpuNames = ["CPU", "NONE", "NA", "CPUONLY", "NOGPU"];

    /// <summary>Relative power of <paramref name="gpuName"/>: <c>All[KeyOf(gpuName)]</c>.</summary>
    public static double Of(string? gpuName) => All[KeyOf(gpuName)];

    /// <summary>The <see cref="All"/> row for a GPU name as reported by nvidia-smi or written by hand.</summary>
    public static string KeyOf(string? gpuName)
    {
        if (string.IsNullOrWhiteSpace(gpuName)) return Cpu;
        var tokens = Tokenize(gpuName);
        if (tokens.Count == 0 || NoGpuNames.Contains(string.Concat(tokens))) return Cpu;

        foreach (var (row, models) in Matchers)
        {
            if (tokens.Any(token => models.Any(model => IsModel(token, model)))) return row;
        }
        return UnknownGpu;
    }

    private static List<string> Tokenize(string name)
    {
        var tokens = new List<string>();
        var current = new System.Text.StringBuilder();
        foreach (var c in name)
        {
            if (char.IsAsciiLetterOrDigit(c)) { current.Append(char.ToUpperInvariant(c)); continue; }
            if (current.Length > 0) { tokens.Add(current.ToString()); current.Clear(); }
        }
        if (current.Length > 0) tokens.Add(current.ToString());
        return tokens;
    }

    /// <summary>The token is the model, or the model followed by letters only (A10G, H100NVL, 4090D).</summary>
    private static bool IsModel(string token, string model) =>
        token.StartsWith(model, StringComparison.Ordinal) && token.AsSpan(model.Length).ContainsAnyExceptInRange('A', 'Z') is false;
}
