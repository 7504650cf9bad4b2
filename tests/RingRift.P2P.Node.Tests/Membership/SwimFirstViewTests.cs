using Microsoft.Extensions.Time.Testing;
using RingRift.P2P.Membership;
using RingRift.P2P.Models;
using RingRift.P2P.Node.Membership;
using RingRift.P2P.Swim;
using RingRift.P2P.Testing.Ports;
using RingRift.P2P.Testing.Waiting;

namespace RingRift.P2P.Node.Tests.Membership;

/// <summary>
/// The <c>swim</c> mode view: SWIM's verdict for members SWIM knows, HTTP heartbeats for peers outside
/// SWIM (or that left it). Real SWIM managers on 127.0.0.1 (ports from <see cref="TestPorts"/>); the
/// HTTP side is a peer table on a clock that stands still, so what it heard never goes stale mid-test.
/// </summary>
public sealed class SwimFirstViewTests : IAsyncLifetime
{
    /// <summary>The longest a graceful leave may take; it ends as soon as the peers told have acknowledged.</summary>
    private static readonly TimeSpan LeaveDrain = TimeSpan.FromSeconds(10);

    /// <summary>Bound of a wait on the SWIM managers' sockets and timers, sized for a loaded 2-core machine.</summary>
    private static readonly TimeSpan SwimWait = TimeSpan.FromSeconds(60);

    private readonly List<SwimMembershipManager> _managers = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var m in _managers) await m.StopAsync();
    }

    [Fact]
    public async Task SWIM_decides_for_its_members_and_HTTP_only_for_peers_SWIM_does_not_know_or_that_left()
    {
        var a = await StartAsync("a", []);
        var b = await StartAsync("b", [a.AdvertisedEndpoint!.Value]);
        var c = await StartAsync("c", [a.AdvertisedEndpoint!.Value]);
        await Eventually.Until(() => a.GetAlivePeers(), peers => peers.Count == 2, "a's SWIM to see b and c alive", SwimWait);
        var http = new PeerTable("a", TimeSpan.FromSeconds(30), new FakeTimeProvider());
        http.Heard(new NodeSummary { NodeId = "outsider" }, new PeerEndpoint("127.0.0.1", 1)); // heartbeats, no SWIM
        var view = new SwimFirstView(a, http);

        Assert.True(view.IsPeerAlive("b"));          // SWIM alive, never heard over HTTP
        Assert.True(view.IsPeerAlive("outsider"));   // unknown to SWIM: HTTP decides
        Assert.False(view.IsPeerAlive("a"));
        Assert.Equal(["b", "c", "outsider"], view.GetAlivePeers());

        await c.StopAsync();                          // leaves SWIM gracefully: HTTP decides, and has not heard c
        await Eventually.Until(() => a.GetMember("c")?.State, state => state == SwimMemberState.Left, "a's SWIM to see c left", SwimWait);
        Assert.False(view.IsPeerAlive("c"));
        http.Heard(new NodeSummary { NodeId = "c" }, new PeerEndpoint("127.0.0.1", 2));
        Assert.True(view.IsPeerAlive("c"));           // back on heartbeats only (e.g. restarted with SWIM off)
        Assert.Equal(["b", "c", "outsider"], view.GetAlivePeers());
    }

    private async Task<SwimMembershipManager> StartAsync(string id, SwimEndpoint[] seeds)
    {
        var manager = new SwimMembershipManager(id, TestPorts.Free(), seeds, new SwimMembershipOptions { BindAddress = "127.0.0.1", LeaveDrain = LeaveDrain });
        _managers.Add(manager);
        Assert.True(await manager.StartAsync(), manager.LastStartError);
        return manager;
    }
}
