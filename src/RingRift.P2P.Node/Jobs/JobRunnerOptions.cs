namespace RingRift.P2P.Node.Jobs;

/// <summary>Settings of a node's <see cref="JobRunner"/>; <see cref="Validate"/> runs in the runner's constructor.</summary>
public sealed class JobRunnerOptions
{
    /// <summary>This node's id: the queue's claimed_by for the items the runner runs.</summary>
    public required string NodeId { get; init; }

    /// <summary>The node's data dir; logs go to <c>jobs/logs/</c>, state files to <c>jobs/running/</c>.</summary>
    public required string DataDir { get; init; }

    /// <summary>The parsed jobs file (<c>RINGRIFT_P2P_JOBS_FILE</c> / <c>--jobs</c>).</summary>
    /// <value><see cref="JobsFile.Empty"/> by default: the node runs nothing.</value>
    public JobsFile Jobs { get; init; } = JobsFile.Empty;

    /// <summary>GPUs on this node (proposed env: <c>RINGRIFT_P2P_GPU_COUNT</c>, else detected).</summary>
    /// <value>0 by default.</value>
    /// <remarks>GPU slots = <see cref="GpuCount"/> × <see cref="JobsFile.PerGpu"/>; slot i runs on GPU i / per_gpu.</remarks>
    public int GpuCount { get; init; }

    /// <summary>How often the runner asks the queue for its items and checks its processes (proposed env: <c>RINGRIFT_P2P_JOBS_POLL_INTERVAL</c>, seconds).</summary>
    /// <value>1 second by default.</value>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>With free slots, also claim pending work of this node's capabilities itself (proposed env: <c>RINGRIFT_P2P_JOBS_PULL</c>).</summary>
    /// <value>true by default.</value>
    public bool PullWork { get; init; } = true;

    /// <summary>The value of <c>{ringrift_p2p}</c>; null = <see cref="JobCommandBuilder.DefaultProgramPath"/>.</summary>
    public string? ProgramPath { get; init; }

    /// <summary>The <c>setsid</c> program that puts each job in its own process group; null = found on PATH (run without it when absent).</summary>
    public string? SetsidPath { get; init; }

    public const int MaxGpuCount = 1024;

    /// <summary>Throws <see cref="ArgumentException"/> naming the option, its value and what is allowed.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(NodeId)) throw new ArgumentException($"NodeId must be a node id, got '{NodeId}'", nameof(NodeId));
        if (string.IsNullOrWhiteSpace(DataDir)) throw new ArgumentException($"DataDir must be a folder path, got '{DataDir}'", nameof(DataDir));
        ArgumentNullException.ThrowIfNull(Jobs, nameof(Jobs));
        if (GpuCount is < 0 or > MaxGpuCount) throw new ArgumentException($"GpuCount must be 0-{MaxGpuCount}, got {GpuCount}", nameof(GpuCount));
        if (PollInterval <= TimeSpan.Zero || PollInterval > TimeSpan.FromMinutes(5))
            throw new ArgumentException($"PollInterval must be greater than 0 and at most 5 minutes, got {PollInterval}", nameof(PollInterval));
    }
}
