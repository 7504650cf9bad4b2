using RingRift.P2P.Loops;
using RingRift.P2P.Node.Hosting;
using RingRift.P2P.Node.Membership;
using RingRift.P2P.Resources;

namespace RingRift.P2P.Node.Resources;

/// <summary>Reads CPU, memory, disk and GPU every heartbeat interval (at least every 5 s, at most every second).</summary>
public sealed class ResourceLoop(NodeOptions options, ResourceSampler sampler, NodeSelf self, TimeProvider time, LoopRegistry loops, ILogger<ResourceLoop> logger)
    : PeriodicService(time, loops, logger)
{
    protected override TimeSpan Period =>
        TimeSpan.FromTicks(Math.Clamp(options.Config.HeartbeatInterval.Ticks, TimeSpan.FromSeconds(1).Ticks, TimeSpan.FromSeconds(5).Ticks));

    public override string LoopName => "resources";

    protected override async Task StepAsync(CancellationToken ct) => self.Update(await sampler.SampleAsync(ct));
}
