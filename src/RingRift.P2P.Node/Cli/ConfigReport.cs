using System.Text.Json.Nodes;

namespace RingRift.P2P.Node.Cli;

/// <summary>How <c>config check</c> (and <c>config show</c>, <c>config hosts</c> when they find errors) report: one line per finding, then a summary; or JSON.</summary>
public static class ConfigReport
{
    /// <summary>Every error, then every warning, one line each (<see cref="ConfigFinding.ToString"/>).</summary>
    public static IEnumerable<string> Lines(ConfigCheckResult result) =>
        result.Errors.Concat(result.Warnings).Select(f => f.ToString());

    /// <summary>
    /// The last line: <c>config check: ok (1 warning): node gpu-1, port 8770, …</c>, or
    /// <c>config check: 3 errors, 1 warning: run would stop at the first (exit 2)</c>.
    /// </summary>
    public static string Summary(ConfigCheckResult result)
    {
        var counts = $"{Count(result.Errors.Count, "error")}, {Count(result.Warnings.Count, "warning")}";
        if (!result.Ok) return $"config check: {counts}: run would stop at the first (exit 2)";
        var o = result.Options;
        var checkedWhat = new List<string> { $"node {o.NodeId}", $"port {o.Port}", $"data dir {o.DataDir}" };
        if (result.EnvFile is { } envFile) checkedWhat.Add($"env file {envFile.Path} ({Count(envFile.Values.Count, "variable")})");
        if (o.Inventory is { } inventory) checkedWhat.Add($"hosts file {inventory.SourceName} ({Count(inventory.Hosts.Count, "host")}, {Count(inventory.Voters().Count, "voter")})");
        if (o.Jobs is { } jobs) checkedWhat.Add($"jobs file {result.Flags.Jobs ?? o.JobsSettings.JobsFile} ({Count(jobs.Jobs.Count, "job type")})");
        return $"config check: ok ({Count(result.Warnings.Count, "warning")}): {string.Join(", ", checkedWhat)}";
    }

    /// <summary><c>--json</c> of <c>config check</c>: <c>ok</c>, <c>node_id</c>, <c>errors</c> and <c>warnings</c>.</summary>
    public static JsonObject Json(ConfigCheckResult result) => new()
    {
        ["ok"] = result.Ok,
        ["node_id"] = result.Options.NodeId,
        ["errors"] = Json(result.Errors),
        ["warnings"] = Json(result.Warnings),
    };

    /// <summary>Findings as <c>[{source, line, key, value, allowed, message, text}]</c>; <c>text</c> is the line the text report prints.</summary>
    public static JsonArray Json(IEnumerable<ConfigFinding> findings) => new([.. findings.Select(f => (JsonNode)new JsonObject
    {
        ["source"] = f.Source,
        ["line"] = f.Line,
        ["key"] = f.Key,
        ["value"] = f.Value,
        ["allowed"] = f.Allowed,
        ["message"] = f.Message,
        ["text"] = f.ToString(),
    })]);

    private static string Count(int n, string what) => n == 1 ? $"1 {what}" : $"{n} {what}s";
}
