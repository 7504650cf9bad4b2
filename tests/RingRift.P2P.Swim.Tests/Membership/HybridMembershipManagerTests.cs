using System.Net;
using System.Net.Sockets;
using RingRift.P2P.Testing.Waiting;

namespace RingRift.P2P.Swim.Tests.Membership;

/// <summary>
/// <see cref="HybridMembershipManager"/>: the union of SWIM and HTTP heartbeats, and the reason it gives
/// when the answer rests on HTTP alone (the seed's "SWIM + HTTP heartbeat fallback").
/// </summary>
public sealed class HybridMembershipManagerTests : IAsyncLifetime
{
    private readonly LoopbackManagers _managers = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _managers.DisposeAsync();

    [Fact]
    public async Task A_peer_is_alive_when_either_view_says_so_and_no_fallback_is_reported()
    {
        SwimMembershipManager a = await _managers.StartAsync("a");
        await _managers.StartAsync("b", [a.AdvertisedEndpoint!.Value]);
        await Eventually.Until(() => a.IsPeerAlive("b"), "a to see b alive through SWIM", LoopbackManagers.Patience);
        var hybrid = new HybridMembershipManager(a, new FixedMembershipView("a", "c"));

        Assert.Equal(["b", "c"], hybrid.GetAlivePeers());
        Assert.True(hybrid.IsPeerAlive("b"));  // SWIM only
        Assert.True(hybrid.IsPeerAlive("c"));  // HTTP only
        Assert.False(hybrid.IsPeerAlive("d"));
        Assert.False(hybrid.IsPeerAlive("a"));
        Assert.Null(hybrid.FallbackReason);
    }

    [Fact]
    public async Task When_SWIM_cannot_bind_the_hybrid_answers_from_HTTP_and_says_why()
    {
        using var squatter = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        squatter.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        int taken = ((IPEndPoint)squatter.LocalEndPoint!).Port;
        SwimMembershipManager swim = _managers.Create("a", port: taken);
        var hybrid = new HybridMembershipManager(swim, new FixedMembershipView("a", "b"));

        Assert.False(await swim.StartAsync());

        Assert.Equal(["b"], hybrid.GetAlivePeers());
        Assert.True(hybrid.IsPeerAlive("b"));
        Assert.StartsWith("SWIM could not start (cannot bind SWIM UDP/TCP", hybrid.FallbackReason);
        Assert.Contains(taken.ToString(), hybrid.FallbackReason);
    }

    [Fact]
    public async Task When_SWIM_sees_nobody_while_HTTP_sees_peers_the_hybrid_says_so()
    {
        SwimMembershipManager swim = _managers.Create("a");
        var http = new FixedMembershipView("a");
        var hybrid = new HybridMembershipManager(swim, http);
        Assert.Equal("SWIM is not running; using HTTP heartbeats only", hybrid.FallbackReason);

        Assert.True(await swim.StartAsync(), swim.LastStartError);
        Assert.Null(hybrid.FallbackReason); // nobody sees anyone: nothing to fall back on
        http.Alive.Add("b");

        Assert.StartsWith("SWIM sees no peer alive while HTTP heartbeats see 1;", hybrid.FallbackReason);
        Assert.Equal(["b"], hybrid.GetAlivePeers());
    }

    [Fact]
    public void Views_of_two_different_nodes_are_refused()
    {
        SwimMembershipManager swim = _managers.Create("a");

        var e = Assert.Throws<ArgumentException>(() => new HybridMembershipManager(swim, new FixedMembershipView("z")));

        Assert.Equal("http", e.ParamName);
        Assert.Contains("'z'", e.Message);
    }
}
