using System.Collections.ObjectModel;
using System.Globalization;
using RingRift.P2P.Models;
using RingRift.P2P.Notifications;
using RingRift.P2P.Yaml;
using YamlDotNet.RepresentationModel;
using static RingRift.P2P.Yaml.YamlNodes;

namespace RingRift.P2P.Node.Jobs;

/// <summary>
/// Walks the YAML representation model of a jobs file so that every error carries the line of
/// the node at fault and the dotted key. One instance per file. With a collecting
/// <see cref="RingRift.P2P.Config.ConfigProblems"/> every bad key is recorded and the walk goes on.
/// </summary>
internal sealed partial class JobsYamlReader(string sourceName, string baseDirectory, RingRift.P2P.Config.ConfigProblems? problems = null)
    : YamlFileReader<JobsFileException>(sourceName, problems)
{
    private const int MaxPerGpu = 64;
    private const int MaxCpuSlots = 1024;
    private const double MaxGraceSeconds = 3600;

    protected override JobsFileException CreateError(int? line, string? key, string problem, Exception? inner = null) =>
        new(SourceName, line, key, problem, inner);

    public JobsFile Read(string yaml)
    {
        YamlNode? root;
        try
        {
            root = LoadRoot(yaml);
        }
        catch (JobsFileException e) when (Collected(e))
        {
            return JobsFile.Empty;
        }
        if (root is null) return JobsFile.Empty;
        if (root is not YamlMappingNode top)
        {
            Problems.Add(Error(root, "(root)", $"expected a mapping with slots, grace_seconds and jobs, got {Describe(root)}"));
            return JobsFile.Empty;
        }

        var file = new JobsFile();
        foreach (var (keyNode, value) in top.Children)
        {
            try
            {
                var name = KeyName(keyNode, "(root)");
                file = name switch
                {
                    "slots" => ReadSlots(value, file),
                    "grace_seconds" => file with { Grace = TimeSpan.FromSeconds(Number(value, name, 0, MaxGraceSeconds, true) ?? JobsFile.DefaultGraceSeconds) },
                    "jobs" => file with { Jobs = ReadJobs(value) },
                    "webhooks" => file with { Webhooks = ReadWebhooks(value) },
                    "training" => file with { Training = ReadTraining(value) },
                    _ => throw Error(keyNode, name, $"unknown key; allowed: {string.Join(", ", RootKeys)}{Hint(name, RootKeys)}"),
                };
            }
            catch (JobsFileException e) when (Collected(e)) { }
        }
        return file;
    }

    private static readonly string[] RootKeys = ["slots", "grace_seconds", "jobs", "webhooks", "training"];
    private static readonly string[] JobKeys = ["command", "env", "working_dir", "timeout_seconds", "slots"];

    /// <summary>"; did you mean 'x'?" when <paramref name="name"/> is close to one of <paramref name="known"/>, else nothing.</summary>
    private static string Hint(string name, IEnumerable<string> known) =>
        RingRift.P2P.Config.NearestName.Find(name, known) is { } meant ? $" (did you mean '{meant}'?)" : "";

    private JobsFile ReadSlots(YamlNode node, JobsFile file)
    {
        if (IsNull(node)) return file;
        if (node is not YamlMappingNode map) throw Error(node, "slots", $"expected a mapping with per_gpu and cpu, got {Describe(node)}");
        foreach (var (keyNode, value) in map.Children)
        {
            try
            {
                var name = KeyName(keyNode, "slots");
                var key = $"slots.{name}";
                file = name switch
                {
                    "per_gpu" => file with { PerGpu = Int(value, key, 1, MaxPerGpu) ?? JobsFile.DefaultPerGpu },
                    "cpu" => file with { CpuSlots = Int(value, key, 0, MaxCpuSlots) ?? JobsFile.DefaultCpuSlots },
                    _ => throw Error(keyNode, key, $"unknown key; allowed: per_gpu, cpu{Hint(name, ["per_gpu", "cpu"])}"),
                };
            }
            catch (JobsFileException e) when (Collected(e)) { }
        }
        return file;
    }

    private ReadOnlyDictionary<JobType, JobTemplate> ReadJobs(YamlNode node)
    {
        var jobs = new Dictionary<JobType, JobTemplate>();
        if (IsNull(node)) return new(jobs);
        if (node is not YamlMappingNode map) throw Error(node, "jobs", $"expected a mapping of job type to its command, got {Describe(node)}");
        foreach (var (keyNode, value) in map.Children)
        {
            try
            {
                var name = KeyName(keyNode, "jobs");
                if (!JobTypes.TryParse(name, out var type) || name != type.WireName()) throw Error(keyNode, $"jobs.{name}", $"not a work type name: expected {JobTypes.Allowed}");
                if (jobs.ContainsKey(type)) throw Error(keyNode, $"jobs.{name}", "job type is listed twice");
                jobs[type] = ReadJob(name, type, keyNode, value);
            }
            catch (JobsFileException e) when (Collected(e)) { }
        }
        return new(jobs);
    }

    private JobTemplate ReadJob(string name, JobType type, YamlNode keyNode, YamlNode node)
    {
        var parent = $"jobs.{name}";
        if (node is not YamlMappingNode map) throw Error(IsNull(node) ? keyNode : node, parent, $"expected a mapping with command, env, working_dir, timeout_seconds, slots, got {Describe(node)}");
        IReadOnlyList<string>? command = null;
        IReadOnlyDictionary<string, string>? env = null;
        string? workingDir = null;
        double? timeout = null;
        var cpu = type == JobType.Sync;
        var commandGiven = false;
        foreach (var (childKey, value) in map.Children)
        {
            try
            {
                var child = KeyName(childKey, parent);
                var key = $"{parent}.{child}";
                switch (child)
                {
                    case "command": commandGiven = true; command = ReadCommand(value, key); break;
                    case "env": env = ReadEnv(value, key); break;
                    case "working_dir": workingDir = Text(value, key); break;
                    case "timeout_seconds": timeout = Number(value, key, 0, WorkDefaultsMaxTimeout, false); break;
                    case "slots":
                        cpu = Text(value, key) switch
                        {
                            "cpu" => true,
                            "gpu" when type == JobType.Sync => throw Error(value, key, "sync jobs always take a CPU slot"),
                            "gpu" => false,
                            var other => throw Error(value, key, $"expected gpu or cpu, got '{other}'"),
                        };
                        break;
                    default: throw Error(childKey, key, $"unknown key; allowed: {string.Join(", ", JobKeys)}{Hint(child, JobKeys)}");
                }
            }
            catch (JobsFileException e) when (Collected(e)) { }
        }
        // A command given but bad is reported already; only a missing one is reported here.
        if (command is null && !commandGiven) throw Error(keyNode, $"{parent}.command", "missing; every job needs a command (a list of program and arguments)");
        command ??= ["(invalid)"];
        return new JobTemplate
        {
            Command = command,
            Env = env ?? new ReadOnlyDictionary<string, string>(new Dictionary<string, string>()),
            WorkingDir = workingDir is null ? baseDirectory : WorkingDirectory(workingDir),
            Timeout = timeout is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
            CpuSlot = cpu,
        };
    }

    private static double WorkDefaultsMaxTimeout => RingRift.P2P.Coordination.WorkDefaults.MaxTimeoutSeconds;

    /// <summary>Relative folders hang off the jobs file's folder; a leading placeholder is left for run time.</summary>
    private string WorkingDirectory(string value) =>
        value.StartsWith('{') || Path.IsPathRooted(value) ? value : Path.GetFullPath(Path.Combine(baseDirectory, value));

    private ReadOnlyCollection<string> ReadCommand(YamlNode node, string key)
    {
        if (node is YamlSequenceNode list)
        {
            if (list.Children.Count == 0) throw Error(node, key, "expected at least the program to run, got an empty list");
            var argv = new List<string>();
            for (var i = 0; i < list.Children.Count; i++)
            {
                var item = list.Children[i];
                try
                {
                    if (item is not YamlScalarNode { Value: { } arg } || IsNull(item))
                        throw Error(item, $"{key}[{i}]", $"expected a string argument, got {Describe(item)}");
                    if (i == 0 && arg.Trim().Length == 0) throw Error(item, $"{key}[0]", "the program name is empty");
                    argv.Add(arg);
                }
                catch (JobsFileException e) when (Collected(e)) { }
            }
            return argv.AsReadOnly();
        }
        if (node is YamlScalarNode { Value: { } text } && !IsNull(node))
        {
            if (text.IndexOfAny(['"', '\'', '\\']) >= 0)
                throw Error(node, key, "a command string with quotes or backslashes is ambiguous without a shell; write it as a list of arguments");
            var parts = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0) throw Error(node, key, "expected the program to run, got an empty string");
            return parts.AsReadOnly();
        }
        throw Error(node, key, $"expected a list of program and arguments, got {Describe(node)}");
    }

    private ReadOnlyDictionary<string, string> ReadEnv(YamlNode node, string key)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        if (IsNull(node)) return new(env);
        if (node is not YamlMappingNode map) throw Error(node, key, $"expected a mapping of variable name to value, got {Describe(node)}");
        foreach (var (nameNode, value) in map.Children)
        {
            try
            {
                var name = KeyName(nameNode, key);
                if (!IsEnvName(name)) throw Error(nameNode, $"{key}.{name}", "variable names are letters, digits and '_', not starting with a digit");
                if (value is not YamlScalarNode { Value: var text } || IsNull(value))
                    throw Error(value, $"{key}.{name}", $"expected a string value, got {Describe(value)}");
                if (!env.TryAdd(name, text ?? "")) throw Error(nameNode, $"{key}.{name}", "variable is listed twice");
            }
            catch (JobsFileException e) when (Collected(e)) { }
        }
        return new(env);
    }

    private static bool IsEnvName(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
