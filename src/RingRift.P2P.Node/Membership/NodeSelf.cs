using RingRift.P2P.Config;
using RingRift.P2P.Election;
using RingRift.P2P.Models;
using RingRift.P2P.Node.Hosting;
using RingRift.P2P.Resources;

namespace RingRift.P2P.Node.Membership;

/// <summary>This node's own description: identity, latest resource reading, uptime.</summary>
public sealed class NodeSelf(NodeOptions options, TimeProvider time)
{
    private readonly long _startedAt = time.GetTimestamp();
    private volatile ResourceReading? _latest;

    public string NodeId => options.NodeId;

    /// <summary>This build's version with its commit (<see cref="ProgramVersion.Text"/>).</summary>
    public static string Version => ProgramVersion.Text;

    public double UptimeSeconds => time.GetElapsedTime(_startedAt).TotalSeconds;

    public ResourceReading? LatestReading => _latest;

    public ResourceMetrics Metrics => _latest?.ToMetrics() ?? ResourceMetrics.Idle;

    public NodeHealth Health =>
        NodeHealthRules.Evaluate(Metrics, TimeSpan.Zero, options.Config.HeartbeatInterval, options.Config.PeerTimeout);

    public void Update(ResourceReading reading) => _latest = reading;

    private volatile Jobs.JobRunner? _runner;

    /// <summary>The job runner, once started: its capabilities, slots and running jobs go into the summary.</summary>
    public Jobs.JobRunner? Runner => _runner;

    public void AttachRunner(Jobs.JobRunner runner) => _runner = runner;

    public NodeSummary BuildSummary(ElectionSnapshot election)
    {
        var reading = _latest;
        var metrics = Metrics;
        return new NodeSummary
        {
            NodeId = options.NodeId,
            Address = options.AdvertiseAddress,
            Port = options.Port,
            Role = election.Role,
            LeaderId = election.LeaderId,
            Epoch = election.Epoch,
            Health = Health,
            Resources = ResourceSnapshot.From(metrics),
            GpuName = reading?.GpuName,
            GpuCount = reading?.GpuCount ?? 0,
            GpuMemoryTotalMb = reading?.GpuMemoryTotalMb ?? 0,
            GpuPower = GpuPowerRankings.Of(reading?.GpuName),
            CpuCount = reading?.CpuCount ?? Environment.ProcessorCount,
            MemoryTotalMb = reading?.MemoryTotalMb ?? 0,
            Capabilities = _runner?.Capabilities ?? options.Capabilities,
            CpuJobTypes = _runner?.CpuJobTypes ?? [],
            GpuSlots = _runner?.GpuSlots ?? 0,
            CpuSlots = _runner?.CpuSlots ?? 0,
            Voter = options.IsVoter,
            UptimeSeconds = Math.Round(UptimeSeconds, 3),
            ActiveJobs = _runner?.ActiveJobs ?? 0,
            Version = Version,
            Timestamp = time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0,
        };
    }
}
