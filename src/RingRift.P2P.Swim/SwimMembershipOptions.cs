using Microsoft.Extensions.Logging;
using RingRift.P2P.Loops;
using RingRift.P2P.Swim.Wire;

namespace RingRift.P2P.Swim;

/// <summary>How a <see cref="SwimMembershipManager"/> binds, advertises, authenticates and times its SWIM node.</summary>
public sealed record SwimMembershipOptions
{
    /// <summary>Protocol timings. <see cref="SwimConfig.Default"/> by default.</summary>
    public SwimConfig Config { get; init; } = SwimConfig.Default;

    /// <summary>IP address the UDP socket and TCP listener bind to. "0.0.0.0" (every IPv4 interface) by default.</summary>
    public string BindAddress { get; init; } = "0.0.0.0";

    /// <summary>
    /// Address to gossip as this node's SWIM address: an IP literal or a host name (resolved at start).
    /// Null by default: the bind address when it names one interface, else the first non-loopback
    /// IPv4 address of an interface that is up, else 127.0.0.1.
    /// </summary>
    public string? AdvertiseAddress { get; init; }

    /// <summary>Packet authentication; <see cref="PacketAuthenticator.None"/> by default (use <see cref="PacketAuthenticator.FromClusterToken"/>).</summary>
    public PacketAuthenticator Authenticator { get; init; } = PacketAuthenticator.None;

    /// <summary>Metadata gossiped with this node's Alive (e.g. <see cref="SwimNodeMeta.Encode"/>), at most 512 bytes. Empty by default.</summary>
    public byte[] Meta { get; init; } = [];

    /// <summary>Clock and timers. <see cref="TimeProvider.System"/> by default.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Where the node reports each protocol period (<see cref="SwimNode.ProbeLoop"/>); none by default.</summary>
    public LoopTracker? ProbeLoop { get; init; }

    /// <summary>Probe-order shuffles and random picks; a fresh unseeded <see cref="System.Random"/> when null.</summary>
    public Random? Random { get; init; }

    /// <summary>Diagnostics for the manager, the node and the transport; none when null.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>
    /// Longest a graceful leave takes before the node stops: it ends sooner once the peers told directly
    /// have acknowledged it (see <see cref="SwimNode.LeaveAsync"/>); the node's default (gossip interval ×
    /// retransmit limit) when null.
    /// </summary>
    public TimeSpan? LeaveDrain { get; init; }
}
