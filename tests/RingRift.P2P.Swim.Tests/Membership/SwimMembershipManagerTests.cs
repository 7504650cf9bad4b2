using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using RingRift.P2P.Swim.Wire;
using RingRift.P2P.Testing.Ports;
using RingRift.P2P.Testing.Waiting;

namespace RingRift.P2P.Swim.Tests.Membership;

/// <summary>
/// <see cref="SwimMembershipManager"/> on real loopback sockets: start, join through a seed (SWIM §4.1),
/// graceful leave, a port that is taken, and the incarnation taken from the clock (SWIM §4.2).
/// </summary>
public sealed class SwimMembershipManagerTests : IAsyncLifetime
{
    private readonly LoopbackManagers _managers = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _managers.DisposeAsync();

    [Fact]
    public async Task Three_managers_join_through_one_seed_see_each_other_alive_and_raise_MemberAlive()
    {
        SwimMembershipManager a = await _managers.StartAsync("a");
        var aliveSeenByA = new ConcurrentBag<string>();
        a.MemberAlive += m => aliveSeenByA.Add(m.NodeId);
        SwimEndpoint seed = a.AdvertisedEndpoint!.Value;
        SwimMembershipManager b = await _managers.StartAsync("b", [seed], new SwimMembershipOptions { Meta = new SwimNodeMeta(null, 18770).Encode() });
        SwimMembershipManager c = await _managers.StartAsync("c", [seed]);

        // One snapshot of the three views, taken when all agree; a busy host may delay that, not change it.
        var views = await Eventually.Until(
            () => new AliveViews(a.GetAlivePeers().Order().ToList(), b.GetAlivePeers().Count, c.GetAlivePeers().Order().ToList(), a.GetMembershipSummary()),
            v => v.A.Count == 2 && v.B == 2 && v.C.Count == 2 && v.SummaryOfA == new SwimMembershipSummary(2, 0, 0, 2),
            "a, b and c to see each other alive");

        Assert.Equal(["b", "c"], views.A);
        Assert.Equal(["a", "b"], views.C); // c sees b, and never itself
        Assert.False(c.IsPeerAlive("c")); // never itself
        Assert.Equal(new SwimMembershipSummary(2, 0, 0, 2), views.SummaryOfA);
        // The manager raises its events just after its table changes, so the last one can trail the snapshot.
        await Eventually.Until(() => aliveSeenByA.Order().ToList(), seen => seen.Contains("b") && seen.Contains("c"), "a to raise MemberAlive for b and c");
        SwimMember bSeenByC = c.GetMember("b")!;
        Assert.Equal(new RingRift.P2P.Membership.PeerEndpoint("127.0.0.1", 18770), SwimNodeMeta.HttpEndpointOf(bSeenByC));
        Assert.Equal(0, c.UnresolvedSeedCount); // joined: the seed's id is known
    }

    /// <summary>What a, b and c see alive at one moment (b's as a count), and a's summary.</summary>
    private sealed record AliveViews(IReadOnlyList<string> A, int B, IReadOnlyList<string> C, SwimMembershipSummary SummaryOfA)
    {
        public override string ToString() => $"a sees [{string.Join(", ", A)}], b sees {B}, c sees [{string.Join(", ", C)}], a's summary {SummaryOfA}";
    }

    [Fact]
    public async Task StopAsync_leaves_gracefully_so_peers_see_Left_not_failed()
    {
        SwimMembershipManager a = await _managers.StartAsync("a");
        // A drain far longer than any wait here: the leave ends when a acknowledges it, not by timing out.
        SwimMembershipManager b = await _managers.StartAsync("b", [a.AdvertisedEndpoint!.Value], new SwimMembershipOptions { LeaveDrain = TimeSpan.FromMinutes(1) });
        await Eventually.Until(() => a.IsPeerAlive("b"), "a to see b alive", LoopbackManagers.Patience);

        await b.StopAsync();

        Assert.Equal(1, b.Stats!.LeavesAcknowledged); // a was told directly and answered before b stopped
        Assert.Equal(SwimMemberState.Left, a.GetMember("b")!.State);
        Assert.False(a.IsPeerAlive("b"));
        Assert.Equal(0, a.GetMembershipSummary().Failed);
        Assert.False(b.Started);
        Assert.True(b.Available);
    }

    [Fact]
    public async Task A_taken_port_makes_start_return_false_with_the_reason_instead_of_throwing()
    {
        using var squatter = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        squatter.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        int taken = ((IPEndPoint)squatter.LocalEndPoint!).Port;
        SwimMembershipManager manager = _managers.Create("a", port: taken);

        bool started = await manager.StartAsync();

        Assert.False(started);
        Assert.False(manager.Available);
        Assert.False(manager.Started);
        Assert.Contains($"127.0.0.1:{taken}", manager.LastStartError);
        Assert.Contains("AddressAlreadyInUse", manager.LastStartError);
        Assert.Empty(manager.GetAlivePeers());
        Assert.Equal(new SwimMembershipSummary(0, 0, 0, 0), manager.GetMembershipSummary());
        await manager.StopAsync(); // harmless after a failed start
    }

    [Fact]
    public async Task The_start_incarnation_is_the_unix_time_in_milliseconds_so_a_restart_is_never_stale()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_767_225_600_123));
        SwimMembershipManager manager = _managers.Create("a", options: new SwimMembershipOptions { Time = time, LeaveDrain = TimeSpan.Zero });
        Assert.Equal(0UL, manager.Incarnation); // before start

        Assert.True(await manager.StartAsync(), manager.LastStartError);

        Assert.Equal(1_767_225_600_123UL, manager.Incarnation);
    }

    [Fact]
    public async Task Until_a_peer_is_known_every_seed_counts_as_unresolved()
    {
        int nobody = TestPorts.Free(); // reserved for this process and never bound: no seed answers there
        SwimMembershipManager lonely = _managers.Create("a", [new SwimEndpoint("127.0.0.1", nobody), new SwimEndpoint("127.0.0.1", nobody)]);
        Assert.Equal(1, lonely.UnresolvedSeedCount); // duplicates count once, before start too

        Assert.True(await lonely.StartAsync(), lonely.LastStartError);

        Assert.Equal(1, lonely.UnresolvedSeedCount);
        Assert.Empty(lonely.GetAlivePeers());
    }

    [Fact]
    public async Task A_node_with_another_cluster_token_cannot_join_and_forged_packets_are_counted()
    {
        // Wire authentication (issue 3): a key derived from the cluster token; failures are dropped and counted.
        SwimMembershipManager a = await _managers.StartAsync("a", options: new SwimMembershipOptions { Authenticator = PacketAuthenticator.FromClusterToken("one") });
        SwimMembershipManager c = await _managers.StartAsync("c", [a.AdvertisedEndpoint!.Value],
            new SwimMembershipOptions { Authenticator = PacketAuthenticator.FromClusterToken("one") });
        SwimMembershipManager b = await _managers.StartAsync("b", [a.AdvertisedEndpoint!.Value],
            new SwimMembershipOptions { Authenticator = PacketAuthenticator.FromClusterToken("two") });
        using var forger = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

        await Eventually.Until(() => a.IsPeerAlive("c"), "a to see c (same token) alive", LoopbackManagers.Patience);
        forger.SendTo(new byte[40], new IPEndPoint(IPAddress.Loopback, a.BoundEndpoint!.Value.Port));
        await Eventually.Until(() => a.Packets!.DroppedAuth, n => n >= 1, "a to count the forged datagram as dropped (auth)", LoopbackManagers.Patience);
        Assert.True(a.Authenticated);
        await Eventually.Until(() => a.Stats!.RequestsReceived, n => n >= 2, "b's join to reach a (requests a received: c's join + b's)", LoopbackManagers.Patience);
        Assert.False(a.IsPeerAlive("b"));
        Assert.Empty(b.GetAlivePeers());
        Assert.Equal(1, b.UnresolvedSeedCount);
    }

    [Fact]
    public void Constructor_rejects_bad_arguments_naming_them()
    {
        Assert.Equal("bindPort", Assert.Throws<ArgumentOutOfRangeException>(() => new SwimMembershipManager("a", 70_000, [])).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentException>(() =>
            new SwimMembershipManager("a", 0, [], new SwimMembershipOptions { BindAddress = "localhost" })).ParamName);
        Assert.Throws<ArgumentException>(() => new SwimMembershipManager(" ", 0, []));
    }
}
