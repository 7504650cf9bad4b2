using System.Collections.ObjectModel;
using RingRift.P2P.Config;
using RingRift.P2P.Models;
using RingRift.P2P.Node.Training;

namespace RingRift.P2P.Node.Jobs;

/// <summary>
/// The parsed jobs file (<c>jobs.yaml</c>): how this node runs each job type, how many jobs it runs
/// at once, and how long a stopping job gets between SIGTERM and SIGKILL. Path from <c>--jobs</c> or
/// <c>RINGRIFT_P2P_JOBS_FILE</c>.
/// </summary>
/// <remarks>
/// <code>
/// slots:
///   per_gpu: 1        # concurrent GPU jobs per GPU; gpu slots = GPU count × per_gpu
///   cpu: 2            # concurrent CPU-slot jobs
/// grace_seconds: 10   # SIGTERM → SIGKILL grace
/// jobs:
///   selfplay:
///     command: ["python3", "selfplay.py", "--board", "{board_type}", "--games", "{games}"]
///     env: {OMP_NUM_THREADS: "4"}
///     working_dir: /opt/ringrift      # relative paths are relative to the jobs file
///     timeout_seconds: 3600           # cap; the item's own timeout also applies, the smaller wins
///   cpu_cmaes:                        # any work type name: items of that type run here
///     command: ["python3", "cmaes.py", "--board", "{board_type}", "--generations", "{config.generations}"]
///     slots: cpu                      # gpu (default) or cpu
/// </code>
/// Placeholders are listed on <see cref="JobCommandBuilder"/>.
/// </remarks>
public sealed record JobsFile
{
    /// <summary>Concurrent GPU jobs per detected GPU. 1 by default.</summary>
    public const int DefaultPerGpu = 1;

    /// <summary>Concurrent CPU-slot jobs. 2 by default.</summary>
    public const int DefaultCpuSlots = 2;

    /// <summary>SIGTERM → SIGKILL grace. 10 seconds by default.</summary>
    public const double DefaultGraceSeconds = 10;

    /// <value>1 by default; at least 1.</value>
    public int PerGpu { get; init; } = DefaultPerGpu;

    /// <value>2 by default; 0 means this node runs no CPU-slot job.</value>
    public int CpuSlots { get; init; } = DefaultCpuSlots;

    /// <value>10 seconds by default.</value>
    public TimeSpan Grace { get; init; } = TimeSpan.FromSeconds(DefaultGraceSeconds);

    /// <summary>One template per job type the node can run; the keys are its capabilities.</summary>
    public IReadOnlyDictionary<JobType, JobTemplate> Jobs { get; init; } =
        new ReadOnlyDictionary<JobType, JobTemplate>(new Dictionary<JobType, JobTemplate>());

    /// <summary>
    /// Webhooks for cluster events (<c>webhooks: [{url, events, format}]</c>), in addition to
    /// <c>RINGRIFT_WEBHOOK_URL</c>; events must be known names, none listed means every event.
    /// </summary>
    public IReadOnlyList<RingRift.P2P.Notifications.WebhookConfig> Webhooks { get; init; } = [];

    /// <summary>The leader's training-loop settings from the <c>training:</c> block; environment variables win. Null when absent.</summary>
    public TrainingFileSettings? Training { get; init; }

    /// <summary>The job types this file defines: the built-in ones first, then the others by name.</summary>
    public IReadOnlyList<JobType> Capabilities => Jobs.Keys.Order().ToArray();

    /// <summary>The types besides sync whose jobs take a CPU slot (<c>slots: cpu</c>).</summary>
    public IReadOnlyList<JobType> CpuJobTypes => Jobs.Where(j => j.Value.CpuSlot && j.Key != JobType.Sync).Select(j => j.Key).Order().ToArray();

    /// <summary>A file that defines no job: the node runs nothing.</summary>
    public static JobsFile Empty { get; } = new();

    /// <summary>Reads and validates a jobs file; throws <see cref="JobsFileException"/> naming the file, line and key.</summary>
    public static JobsFile Load(string path) => Load(path, ConfigProblems.ThrowFirst);

    /// <summary>
    /// As <see cref="Load(string)"/>, sending errors to <paramref name="problems"/>: when it collects, every
    /// bad key is recorded (the rest of the file is still read) and what could be read is returned.
    /// </summary>
    public static JobsFile Load(string path, ConfigProblems problems)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(problems);
        string yaml;
        try
        {
            yaml = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add(new JobsFileException(path, null, null, $"cannot read the jobs file: {e.Message}", e));
            return Empty;
        }
        return Parse(yaml, path, Path.GetDirectoryName(Path.GetFullPath(path))!, problems);
    }

    /// <summary>
    /// Parses jobs-file YAML. <paramref name="sourceName"/> names the file in errors;
    /// <paramref name="baseDirectory"/> anchors relative <c>working_dir</c> values.
    /// </summary>
    public static JobsFile Parse(string yaml, string sourceName, string baseDirectory) =>
        Parse(yaml, sourceName, baseDirectory, ConfigProblems.ThrowFirst);

    /// <summary>As <see cref="Parse(string, string, string)"/>, sending errors to <paramref name="problems"/>.</summary>
    public static JobsFile Parse(string yaml, string sourceName, string baseDirectory, ConfigProblems problems)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(sourceName);
        ArgumentNullException.ThrowIfNull(baseDirectory);
        ArgumentNullException.ThrowIfNull(problems);
        return new JobsYamlReader(sourceName, baseDirectory, problems).Read(yaml);
    }
}

/// <summary>How one job type is run: an argv template (no shell), extra environment, folder and time cap.</summary>
public sealed record JobTemplate
{
    /// <summary>Program and arguments, each possibly holding placeholders; never passed through a shell.</summary>
    public required IReadOnlyList<string> Command { get; init; }

    /// <summary>Extra environment variables (values may hold placeholders).</summary>
    public IReadOnlyDictionary<string, string> Env { get; init; } =
        new ReadOnlyDictionary<string, string>(new Dictionary<string, string>());

    /// <summary>
    /// Absolute working folder (placeholders allowed). A parsed file sets the jobs file's own folder
    /// when <c>working_dir</c> is absent; null (templates built in code) = the node's data dir.
    /// </summary>
    public string? WorkingDir { get; init; }

    /// <summary>Cap on run time; the item's own <c>timeout_seconds</c> also applies and the smaller wins. Null = item's only.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>
    /// <c>slots: cpu</c>: the job takes a CPU slot even on a node with GPUs (always true for sync);
    /// <c>slots: gpu</c> (the default): a GPU slot, or a CPU slot on a node without GPUs.
    /// </summary>
    public bool CpuSlot { get; init; }
}
