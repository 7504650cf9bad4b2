using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using RingRift.P2P.Coordination;
using RingRift.P2P.Jobs;

namespace RingRift.P2P.Node.Jobs;

/// <summary>Where and as whom a job runs: the values of the placeholders that do not come from the item.</summary>
/// <param name="NodeId">This node's id: <c>{node_id}</c>.</param>
/// <param name="DataDir">Absolute data dir: <c>{data_dir}</c>, and the root that model paths resolve under.</param>
/// <param name="JobId">The job's file-safe id: <c>{job_id}</c> (the work id itself unless it holds characters unsafe in a file name).</param>
/// <param name="Gpu">The GPU index of the job's slot, null for a CPU slot: <c>{gpu}</c>.</param>
/// <param name="ProgramPath">This node's own executable: <c>{ringrift_p2p}</c>.</param>
public sealed record JobContext(string NodeId, string DataDir, string JobId, int? Gpu, string ProgramPath);

/// <summary>A job ready to start: argv, extra environment, working folder and time limit.</summary>
public sealed record JobCommand(IReadOnlyList<string> Argv, IReadOnlyDictionary<string, string> Env, string WorkingDir, TimeSpan Timeout);

/// <summary>
/// Fills a <see cref="JobTemplate"/> for one work item. Placeholders, in the command, the env
/// values and the working dir:
/// <c>{board_type}</c>, <c>{num_players}</c>, <c>{config}</c> (board config key, e.g. <c>hex8_2p</c>),
/// <c>{games}</c>, <c>{model_path}</c> and <c>{baseline_model_path}</c> (data-dir relative values of
/// the item config, made absolute under the data dir), <c>{data_dir}</c>, <c>{job_id}</c>,
/// <c>{work_type}</c>, <c>{node_id}</c>, <c>{gpu}</c> (GPU index, empty on a CPU slot),
/// <c>{ringrift_p2p}</c> (this node's executable) and <c>{config.&lt;key&gt;}</c> for any scalar of the
/// item config. <c>{{</c> and <c>}}</c> stand for literal braces. Each argument stays one argument:
/// no shell ever sees it.
/// </summary>
public static class JobCommandBuilder
{
    /// <summary>
    /// The filled command, or false with an error naming the placeholder or value at fault
    /// (unknown placeholder, value missing from the item config, path outside the data dir).
    /// Timeout = the smaller of the item's <c>timeout_seconds</c> and the template's cap.
    /// </summary>
    public static bool TryBuild(JobTemplate template, WorkItem item, JobContext context, out JobCommand command, out string error)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(context);
        command = null!;
        var argv = new List<string>(template.Command.Count);
        for (var i = 0; i < template.Command.Count; i++)
        {
            if (!TryFill(template.Command[i], item, context, out var arg, out error)) { error = $"command[{i}]: {error}"; return false; }
            argv.Add(arg);
        }
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, raw) in template.Env)
        {
            if (!TryFill(raw, item, context, out var value, out error)) { error = $"env {name}: {error}"; return false; }
            env[name] = value;
        }
        var workingDir = context.DataDir;
        if (template.WorkingDir is { } dirTemplate)
        {
            if (!TryFill(dirTemplate, item, context, out workingDir, out error)) { error = $"working_dir: {error}"; return false; }
            if (!Path.IsPathRooted(workingDir)) { error = $"working_dir must be an absolute path, got '{workingDir}'"; return false; }
        }
        var timeout = TimeSpan.FromSeconds(item.TimeoutSeconds);
        if (template.Timeout is { } cap && cap < timeout) timeout = cap;
        command = new JobCommand(argv.AsReadOnly(), env.AsReadOnly(), workingDir, timeout);
        error = "";
        return true;
    }

    /// <summary>Replaces every placeholder of one template string.</summary>
    public static bool TryFill(string template, WorkItem item, JobContext context, out string value, out string error)
    {
        var text = new StringBuilder(template.Length);
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if (c == '}' && i + 1 < template.Length && template[i + 1] == '}') { text.Append('}'); i++; continue; }
            if (c != '{') { text.Append(c); continue; }
            if (i + 1 < template.Length && template[i + 1] == '{') { text.Append('{'); i++; continue; }
            var close = template.IndexOf('}', i + 1);
            if (close < 0)
            {
                value = "";
                error = $"unclosed '{{' at position {i} in '{template}' (write '{{{{' for a literal brace)";
                return false;
            }
            var name = template[(i + 1)..close];
            if (!TryResolve(name, item, context, out var resolved, out error)) { value = ""; return false; }
            text.Append(resolved);
            i = close;
        }
        value = text.ToString();
        error = "";
        return true;
    }

    private static bool TryResolve(string name, WorkItem item, JobContext context, out string value, out string error)
    {
        error = "";
        value = "";
        switch (name)
        {
            case "data_dir": value = context.DataDir; return true;
            case "job_id": value = context.JobId; return true;
            case "node_id": value = context.NodeId; return true;
            case "work_type": value = item.WorkType.Name; return true;
            case "gpu": value = context.Gpu?.ToString(CultureInfo.InvariantCulture) ?? ""; return true;
            case "ringrift_p2p": value = context.ProgramPath; return true;
            case "config":
                if (BoardConfig.TryFrom(item.Config, out var board, out var reason)) { value = board.Key; return true; }
                error = $"placeholder {{config}} needs the item's board config: {reason}";
                return false;
            case WorkKeys.BoardType or WorkKeys.NumPlayers or WorkKeys.Games:
                return TryConfigScalar(item.Config, name, $"{{{name}}}", out value, out error);
            case WorkKeys.ModelPath or WorkKeys.BaselineModelPath:
                return TryConfigScalar(item.Config, name, $"{{{name}}}", out var relative, out error)
                    && TryUnderDataDir(relative, name, context.DataDir, out value, out error);
        }
        if (name.StartsWith("config.", StringComparison.Ordinal) && name.Length > "config.".Length)
            return TryConfigScalar(item.Config, name["config.".Length..], $"{{{name}}}", out value, out error);
        error = $"unknown placeholder {{{name}}}; known: {{board_type}}, {{num_players}}, {{config}}, {{games}}, {{model_path}}, " +
                "{baseline_model_path}, {data_dir}, {job_id}, {work_type}, {node_id}, {gpu}, {ringrift_p2p}, {config.<key>}";
        return false;
    }

    private static bool TryConfigScalar(JsonObject config, string key, string placeholder, out string value, out string error)
    {
        value = "";
        var node = config[key];
        if (node is null)
        {
            error = $"placeholder {placeholder} has no value: the work item config has no '{key}'";
            return false;
        }
        if (node is not JsonValue scalar)
        {
            error = $"placeholder {placeholder}: config '{key}' must be a string, number or boolean, got {node.ToJsonString()}";
            return false;
        }
        value = scalar.GetValueKind() switch
        {
            JsonValueKind.String => scalar.GetValue<string>(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => scalar.ToJsonString(),
        };
        error = "";
        return true;
    }

    /// <summary>A data-dir relative path made absolute; refused when absolute or leading outside the data dir.</summary>
    internal static bool TryUnderDataDir(string relative, string key, string dataDir, out string value, out string error)
    {
        value = "";
        if (relative.Length == 0 || Path.IsPathRooted(relative) || relative.Contains('\0'))
        {
            error = $"config '{key}' must be a path relative to the data dir, got '{relative}'";
            return false;
        }
        var root = Path.GetFullPath(dataDir);
        var full = Path.GetFullPath(Path.Combine(root, relative));
        if (!full.StartsWith(Path.TrimEndingDirectorySeparator(root) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            error = $"config '{key}' leads outside the data dir: '{relative}'";
            return false;
        }
        value = full;
        error = "";
        return true;
    }

    /// <summary>
    /// This node's own executable for <c>{ringrift_p2p}</c> (<see cref="Hosting.ProgramLocation"/>): the
    /// single-file executable, the apphost beside the assembly, or the dotnet tool's shim. Run as
    /// <c>dotnet ringrift-p2p.dll</c> without an apphost, it is the dotnet host, which cannot run a job alone.
    /// </summary>
    public static string DefaultProgramPath() => Hosting.ProgramLocation.Current().File;
}
