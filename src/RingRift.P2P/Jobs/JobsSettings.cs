using System.Globalization;
using RingRift.P2P.Config;

namespace RingRift.P2P.Jobs;

/// <summary>
/// Job runner and data sync settings read from the environment (flags such as <c>--jobs</c> win
/// over them). Bad values throw <see cref="P2PConfigException"/> naming the variable.
/// </summary>
public sealed record JobsSettings
{
    public const string JobsFileVariable = "RINGRIFT_P2P_JOBS_FILE";
    public const string GpuCountVariable = "RINGRIFT_P2P_GPU_COUNT";
    public const string JobsPullVariable = "RINGRIFT_P2P_JOBS_PULL";
    public const string JobsPollIntervalVariable = "RINGRIFT_P2P_JOBS_POLL_INTERVAL";
    public const string SyncBandwidthVariable = "RINGRIFT_SYNC_BANDWIDTH_MBPS";
    public const string SyncConcurrentPullsVariable = "RINGRIFT_SYNC_MAX_CONCURRENT_PULLS";
    public const string SyncReserveVariable = "RINGRIFT_SYNC_RESERVE_MB";
    public const string SyncStallTimeoutVariable = "RINGRIFT_SYNC_STALL_TIMEOUT";

    private static readonly TextRule JobsFileRule = new(JobsFileVariable);
    private static readonly IntRule GpuCountRule = new(GpuCountVariable, 0, 1024);
    private static readonly BoolRule PullRule = new(JobsPullVariable);
    private static readonly SecondsRule PollRule = new(JobsPollIntervalVariable, 3600);
    private static readonly NumberRule BandwidthRule = new(SyncBandwidthVariable, 0, minInclusive: true, 1_000_000, "MB/s");
    private static readonly IntRule PullsRule = new(SyncConcurrentPullsVariable, 1, 64);
    private static readonly IntRule ReserveRule = new(SyncReserveVariable, 0, 100_000_000);
    private static readonly SecondsRule StallRule = new(SyncStallTimeoutVariable, 3600);

    /// <summary>jobs.yaml of this node's job runner; null: the node runs no jobs (it still serves the queue and dispatches).</summary>
    public string? JobsFile { get; init; }

    /// <summary>GPUs the runner hands out; null: detected with nvidia-smi (0 without it).</summary>
    public int? GpuCount { get; init; }

    /// <summary>Whether an idle runner also pulls pending work (<c>GET /work/claim</c>) besides running what the leader placed on it.</summary>
    public bool PullWork { get; init; } = true;

    /// <summary>How often the runner looks at the work placed on it.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Sync bandwidth limit in MB/s (10^6 bytes), pulls and serving together; 0: unlimited.</summary>
    public double SyncBandwidthMbps { get; init; }

    /// <summary>Files pulled at once.</summary>
    public int SyncMaxConcurrentPulls { get; init; } = 2;

    /// <summary>Free space (MiB) a pull must leave on the data dir's drive (the larger of this and 5 % of the drive).</summary>
    public int SyncReserveMb { get; init; } = 1024;

    /// <summary>
    /// A pull that receives no byte for this long gives up its connection and tries again, resuming from its
    /// <c>.partial</c>: a peer that vanished without closing the connection (a cut link, a frozen host) sends
    /// nothing, and TCP alone would wait many minutes.
    /// </summary>
    public TimeSpan SyncStallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Reads the settings from <paramref name="env"/>, or the process environment when null.</summary>
    /// <exception cref="P2PConfigException">A variable holds a bad value.</exception>
    public static JobsSettings FromEnvironment(IReadOnlyDictionary<string, string?>? env = null) => FromEnvironment(env, ConfigProblems.ThrowFirst);

    /// <summary>As <see cref="FromEnvironment(IReadOnlyDictionary{string, string?}?)"/>; a bad variable goes to <paramref name="problems"/> (collected: it keeps its default).</summary>
    /// <exception cref="P2PConfigException">A variable holds a bad value and <paramref name="problems"/> throws the first.</exception>
    public static JobsSettings FromEnvironment(IReadOnlyDictionary<string, string?>? env, ConfigProblems problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var reader = new EnvironmentReader(env);
        var d = new JobsSettings();
        return new JobsSettings
        {
            JobsFile = problems.Read(() => JobsFileRule.Read(reader)),
            GpuCount = problems.Read(() => GpuCountRule.Read(reader)),
            PullWork = problems.Read(() => PullRule.Read(reader)) ?? d.PullWork,
            PollInterval = problems.Read(() => PollRule.Read(reader)) ?? d.PollInterval,
            SyncBandwidthMbps = problems.Read(() => BandwidthRule.Read(reader)) ?? d.SyncBandwidthMbps,
            SyncMaxConcurrentPulls = problems.Read(() => PullsRule.Read(reader)) ?? d.SyncMaxConcurrentPulls,
            SyncReserveMb = problems.Read(() => ReserveRule.Read(reader)) ?? d.SyncReserveMb,
            SyncStallTimeout = problems.Read(() => StallRule.Read(reader)) ?? d.SyncStallTimeout,
        };
    }

    /// <summary>The variables <see cref="FromEnvironment"/> reads, with defaults and descriptions (for the README).</summary>
    public static IReadOnlyList<(string Variable, string Default, string Description)> Documented { get; } =
    [
        (JobsFileVariable, "(unset)", "jobs.yaml for this node's job runner (same as --jobs); unset: the node runs no jobs"),
        (GpuCountVariable, "(detected)", "GPUs the job runner hands out (0-1024); unset: counted with nvidia-smi, 0 without it"),
        (JobsPullVariable, "true", "An idle job runner also pulls pending work besides what the leader places on it (true/false)"),
        (JobsPollIntervalVariable, new JobsSettings().PollInterval.TotalSeconds.ToString(CultureInfo.InvariantCulture), "Seconds between the job runner's looks at the work placed on it (>0, <=3600)"),
        (SyncBandwidthVariable, "0", "Data sync bandwidth limit in MB/s, pulls and serving together (0: unlimited)"),
        (SyncConcurrentPullsVariable, new JobsSettings().SyncMaxConcurrentPulls.ToString(CultureInfo.InvariantCulture), "Files pulled at once (1-64)"),
        (SyncReserveVariable, new JobsSettings().SyncReserveMb.ToString(CultureInfo.InvariantCulture), "MiB a pull must leave free on the data drive (the larger of this and 5 % of the drive)"),
        (SyncStallTimeoutVariable, new JobsSettings().SyncStallTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture), "Seconds a pull waits for a byte before it drops the connection and tries again, resuming (>0, <=3600)"),
    ];
}
