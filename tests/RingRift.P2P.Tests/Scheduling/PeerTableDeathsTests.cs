using Microsoft.Extensions.Time.Testing;
using RingRift.P2P.Membership;
using RingRift.P2P.Models;
using RingRift.P2P.Scheduling;
using Xunit;

namespace RingRift.P2P.Tests.Scheduling;

/// <summary>The heartbeat membership's "declared dead" verdict that <see cref="DeadNodeRequeuer"/> acts on at once.</summary>
public sealed class PeerTableDeathsTests
{
    private static readonly TimeSpan PeerTimeout = TimeSpan.FromSeconds(15);

    private readonly FakeTimeProvider _time = new();
    private readonly PeerTable _table;
    private readonly Func<string, bool> _isDeclaredDead;

    public PeerTableDeathsTests()
    {
        _table = new PeerTable("self", PeerTimeout, _time);
        _isDeclaredDead = PeerTableDeaths.IsDeclaredDead(_table);
    }

    [Fact]
    public void HeardPeer_IsDeclaredDeadExactlyOnePeerTimeoutAfterItsLastHeartbeat()
    {
        _table.Heard(new NodeSummary { NodeId = "p" }, new PeerEndpoint("127.0.0.1", 9000));

        _time.Advance(PeerTimeout - TimeSpan.FromTicks(1));
        Assert.False(_isDeclaredDead("p"));
        Assert.True(_table.IsPeerAlive("p"));

        _time.Advance(TimeSpan.FromTicks(1));
        Assert.True(_isDeclaredDead("p"));
        Assert.False(_table.IsPeerAlive("p"));
    }

    [Fact]
    public void NeverHeardOrUnknownPeer_IsNotDeclaredDead_TheRequeuerWaitsForItsGrace()
    {
        _table.AddKnown("inventory-only", new PeerEndpoint("127.0.0.1", 9001));
        _time.Advance(PeerTimeout * 10);

        Assert.False(_isDeclaredDead("inventory-only"));
        Assert.False(_isDeclaredDead("nobody"));
    }

    [Fact]
    public void DepartedPeer_IsMarkedDeparted_NotAlive_NotDeclaredDead_UntilHeardAgain()
    {
        _table.Heard(new NodeSummary { NodeId = "p" }, new PeerEndpoint("127.0.0.1", 9000));

        _table.Departed("p");

        Assert.True(_table.TryGet("p", out var gone));
        Assert.True(gone.Departed);
        Assert.False(gone.EverHeard);
        Assert.False(_table.IsPeerAlive("p"));
        Assert.False(_isDeclaredDead("p")); // a goodbye is not a death: its jobs are reattached when it restarts

        _table.Heard(new NodeSummary { NodeId = "p" }, new PeerEndpoint("127.0.0.1", 9000));
        Assert.True(_table.TryGet("p", out var back));
        Assert.False(back.Departed);
        Assert.True(_table.IsPeerAlive("p"));
    }
}
