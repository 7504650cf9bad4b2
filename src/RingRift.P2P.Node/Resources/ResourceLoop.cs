using RingRift.P2P.Node.Hosting;
using RingRift.P2P.Node.Membership;
using RingRift.P2P.Resources;

namespace RingRift.P2P.Node.Resources;

/// <summary>Reads CPU, memory, disk and GPU every heartbeat interval (at least every 5 s, at most every second).</summary>
public sealed class ResourceLoop(NodeOptions options, ResourceSampler sampler, NodeSelf self, TimeProvider time, ILogger<ResourceLoop> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var period = TimeSpan.FromTicks(Math.Clamp(options.Config.HeartbeatInterval.Ticks, TimeSpan.FromSeconds(1).Ticks, TimeSpan.FromSeconds(5).Ticks));
        using var timer = new PeriodicTimer(period, time);
        try
        {
            do
            {
                try
                {
                    self.Update(await sampler.SampleAsync(stoppingToken));
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning("Resource sampling failed: {Error}", ex.Message);
                }
            } while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }
}
