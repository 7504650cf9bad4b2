using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using RingRift.P2P.Membership;
using RingRift.P2P.Models;
using RingRift.P2P.Node.Consensus;
using RingRift.P2P.Node.Hosting;
using RingRift.P2P.Node.Membership;

namespace RingRift.P2P.Node.Tests.Membership;

/// <summary>
/// When a starting node may campaign: never before the peers it knows are loaded (a node that sees an
/// empty table settles at once and wins a lease with itself as the only voter: two leaders at one epoch),
/// and not held back by a peer that said goodbye.
/// </summary>
public sealed class ElectionStartTests : IDisposable
{
    private static readonly TimeSpan PeerTimeout = TimeSpan.FromSeconds(15);
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "ringrift-election-start-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task The_peer_table_is_loaded_when_the_heartbeat_service_has_started_and_before_the_election_loop_starts()
    {
        var options = NodeOptionsResolver.Resolve(new RunFlags(NodeId: "n1", Port: 18770, Host: "127.0.0.1", DataDir: _dataDir, Peers: "127.0.0.1:1,127.0.0.1:2"),
            new Dictionary<string, string?>());
        await using var app = await NodeHost.BuildAsync(options); // built, not started: nothing listens
        var provider = app.Services;
        var hosted = provider.GetServices<IHostedService>().ToList();
        var heartbeats = hosted.OfType<HeartbeatService>().Single();
        var peers = provider.GetRequiredService<PeerTable>();

        Assert.True(hosted.IndexOf(heartbeats) < hosted.FindIndex(s => s is ElectionLoop), "the host starts services in this order, one after another");
        Assert.Empty(peers.UnresolvedSeeds);
        using var stop = new CancellationTokenSource();
        await heartbeats.StartAsync(stop.Token);
        try
        {
            Assert.Equal(2, peers.UnresolvedSeeds.Count); // loaded by the time StartAsync returned, not later on the loop
        }
        finally
        {
            await stop.CancelAsync();
            await heartbeats.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public void A_node_that_knows_nobody_and_has_no_seed_settles_at_once()
    {
        Assert.True(ElectionLoop.IsSettled(TimeSpan.Zero, PeerTimeout, unresolvedSeeds: 0, [], _ => false));
    }

    [Fact]
    public void An_unresolved_seed_or_an_unheard_peer_holds_a_node_back_until_one_peer_timeout()
    {
        var table = new PeerTable("self", PeerTimeout, new FakeTimeProvider());
        table.AddKnown("p", new PeerEndpoint("127.0.0.1", 9000));

        Assert.False(ElectionLoop.IsSettled(TimeSpan.Zero, PeerTimeout, unresolvedSeeds: 1, [], _ => false));
        Assert.False(ElectionLoop.IsSettled(PeerTimeout - TimeSpan.FromTicks(1), PeerTimeout, 0, table.Peers, _ => false));
        Assert.True(ElectionLoop.IsSettled(PeerTimeout, PeerTimeout, 0, table.Peers, _ => false));
        Assert.True(ElectionLoop.IsSettled(TimeSpan.Zero, PeerTimeout, 0, table.Peers, id => id == "p")); // alive in the active view
    }

    [Fact]
    public void A_peer_that_said_goodbye_does_not_hold_a_node_back()
    {
        var table = new PeerTable("self", PeerTimeout, new FakeTimeProvider());
        table.Heard(new NodeSummary { NodeId = "p" }, new PeerEndpoint("127.0.0.1", 9000));
        table.Departed("p");

        Assert.False(table.IsPeerAlive("p"));
        Assert.True(ElectionLoop.IsSettled(TimeSpan.Zero, PeerTimeout, 0, table.Peers, table.IsPeerAlive));
    }
}
