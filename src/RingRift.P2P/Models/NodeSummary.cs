
namespace RingRift.P2P.Models;

/// <summary>
/// What a node says about itself in heartbeats and in <c>/status</c> <c>peers</c>. JSON is snake_case. Treat it as
/// immutable: the properties with a default are settable only so that a heartbeat without them (an older node's) keeps
/// the default (generated contracts set every <c>init</c> property; dotnet/runtime#84484).
/// </summary>
public sealed record NodeSummary
{
    public required string NodeId { get; init; }
    /// <summary>Address peers use to reach this node's HTTP API (host or IP, no port).</summary>
    public string? Address { get; init; }
    public int Port { get; init; }
    public NodeRole Role { get; init; } = NodeRole.Follower;
    public string? LeaderId { get; init; }
    public long Epoch { get; init; }
    public NodeHealth Health { get; init; } = NodeHealth.Healthy;
    public ResourceSnapshot Resources { get; set; } = ResourceSnapshot.From(ResourceMetrics.Idle);
    public string? GpuName { get; init; }
    public int GpuCount { get; init; }
    public long GpuMemoryTotalMb { get; init; }
    /// <summary>Relative GPU power from the GPU power table (CPU-only nodes 0.1).</summary>
    public double GpuPower { get; init; }
    public int CpuCount { get; init; }
    public long MemoryTotalMb { get; init; }
    /// <summary>Work types this node will run.</summary>
    public IReadOnlyList<JobType> Capabilities { get; set; } = [];

    /// <summary>Types besides sync that this node runs on CPU slots (its jobs file says <c>slots: cpu</c>).</summary>
    public IReadOnlyList<JobType> CpuJobTypes { get; set; } = [];
    public bool Voter { get; init; }
    public double UptimeSeconds { get; init; }
    public int ActiveJobs { get; init; }
    /// <summary>Jobs this node's runner runs at once on GPUs (GPUs × jobs per GPU); 0 without a jobs file or GPU.</summary>
    public int GpuSlots { get; init; }
    /// <summary>Jobs this node's runner runs at once on CPUs; 0 without a jobs file. See <see cref="Jobs.JobSlots"/>.</summary>
    public int CpuSlots { get; init; }
    public string Version { get; set; } = "";
    /// <summary>Unix seconds when this summary was made by its node.</summary>
    public double Timestamp { get; init; }

    /// <summary>Healthy, not overloaded, and load below <paramref name="loadMaxForNewJobs"/>.</summary>
    public bool CanAcceptNewJobs(double loadMaxForNewJobs) =>
        Health == NodeHealth.Healthy && !Resources.IsOverloaded && Resources.LoadScore < loadMaxForNewJobs;
}

/// <summary>Wire form of <see cref="ResourceMetrics"/> with its derived figures.</summary>
public sealed record ResourceSnapshot(
    double CpuPercent,
    double MemoryPercent,
    double GpuMemoryPercent,
    double DiskPercent,
    double LoadScore,
    bool IsOverloaded)
{
    public static ResourceSnapshot From(ResourceMetrics m) =>
        new(m.CpuPercent, m.MemoryPercent, m.GpuMemoryPercent, m.DiskPercent, m.LoadScore, m.IsOverloaded);
}
