namespace RingRift.P2P.Models;

/// <summary>Judges a node's <see cref="NodeHealth"/> from its resources and the age of its last heartbeat.</summary>
/// <remarks>
/// The first rule that holds wins:
/// <list type="number">
/// <item><see cref="NodeHealth.Offline"/>: heartbeat age ≥ peer timeout (the peer counts as dead).</item>
/// <item><see cref="NodeHealth.Unhealthy"/>: disk or memory ≥ <see cref="CriticalPercent"/> (95 %), or heartbeat
/// age &gt; peer timeout / 2 (more than half-way to being declared dead).</item>
/// <item><see cref="NodeHealth.Degraded"/>: <see cref="ResourceMetrics.IsOverloaded"/> (any metric &gt; 90 %), or
/// heartbeat age &gt; 2 × heartbeat interval (two heartbeats missed).</item>
/// <item><see cref="NodeHealth.Healthy"/> otherwise.</item>
/// </list>
/// A negative heartbeat age (the sender's clock is ahead) counts as zero.
/// </remarks>
public static class NodeHealthRules
{
    /// <summary>Disk or memory use at or above this (percent) makes a node unhealthy. 95 by default.</summary>
    public const double CriticalPercent = 95.0;

    /// <exception cref="ArgumentNullException"><paramref name="m"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The interval or timeout is not positive.</exception>
    public static NodeHealth Evaluate(ResourceMetrics m, TimeSpan heartbeatAge, TimeSpan heartbeatInterval, TimeSpan peerTimeout)
    {
        ArgumentNullException.ThrowIfNull(m);
        if (heartbeatInterval <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(heartbeatInterval), heartbeatInterval, $"heartbeatInterval must be positive, got {heartbeatInterval}");
        if (peerTimeout <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(peerTimeout), peerTimeout, $"peerTimeout must be positive, got {peerTimeout}");
        if (heartbeatAge < TimeSpan.Zero) heartbeatAge = TimeSpan.Zero;

        if (heartbeatAge >= peerTimeout) return NodeHealth.Offline;
        if (m.DiskPercent >= CriticalPercent || m.MemoryPercent >= CriticalPercent) return NodeHealth.Unhealthy;
        if (heartbeatAge > peerTimeout / 2) return NodeHealth.Unhealthy;
        if (m.IsOverloaded) return NodeHealth.Degraded;
        if (heartbeatAge > heartbeatInterval * 2) return NodeHealth.Degraded;
        return NodeHealth.Healthy;
    }
}
