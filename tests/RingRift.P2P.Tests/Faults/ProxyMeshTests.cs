using System.Net;
using RingRift.P2P.Testing.Faults;
using Xunit;

namespace RingRift.P2P.Tests.Faults;

/// <summary>
/// Three "nodes" (echo servers) behind a mesh; a round trip labelled X to node Y's proxy stands for
/// a request X sends to Y.
/// </summary>
public sealed class ProxyMeshTests : IAsyncLifetime
{
    private readonly ProxyTestClient _clients = new();
    private readonly Dictionary<string, LoopbackEchoServer> _nodes = new()
    {
        ["a"] = new LoopbackEchoServer(),
        ["b"] = new LoopbackEchoServer(),
        ["c"] = new LoopbackEchoServer(),
    };

    private ProxyMesh _mesh = null!;

    public Task InitializeAsync()
    {
        _mesh = ProxyMesh.Start(_nodes.ToDictionary(n => n.Key, n => n.Value.EndPoint), (client, _) => _clients.Identify(client));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _mesh.DisposeAsync();
        foreach (LoopbackEchoServer node in _nodes.Values) await node.DisposeAsync();
    }

    [Fact]
    public async Task Partition_CutsBothDirectionsAcrossTheSides_AndKeepsLinksInsideASide()
    {
        _mesh.Partition(["a"], ["b", "c"]);

        Assert.Equal(RoundTrip.Reset, await SendAsync("a", "b"));
        Assert.Equal(RoundTrip.Reset, await SendAsync("a", "c"));
        Assert.Equal(RoundTrip.Reset, await SendAsync("b", "a"));
        Assert.Equal(RoundTrip.Reset, await SendAsync("c", "a"));
        Assert.Equal(RoundTrip.Echoed, await SendAsync("b", "c"));
        Assert.Equal(RoundTrip.Echoed, await SendAsync("c", "b"));
    }

    [Fact]
    public async Task OneWay_FailsRequestsFromToTo_ButNotTheReverse()
    {
        _mesh.OneWay("a", "b");

        Assert.Equal(RoundTrip.Reset, await SendAsync("a", "b"));
        Assert.Equal(RoundTrip.Echoed, await SendAsync("b", "a"));
        Assert.Equal(RoundTrip.Echoed, await SendAsync("a", "c"));
    }

    [Fact]
    public async Task Isolate_CutsTheNodeFromEveryPeer_ThenHealRestoresAll()
    {
        _mesh.Isolate("c");
        Assert.Equal(RoundTrip.Reset, await SendAsync("a", "c"));
        Assert.Equal(RoundTrip.Reset, await SendAsync("c", "b"));
        Assert.Equal(RoundTrip.Echoed, await SendAsync("a", "b"));

        _mesh.Heal();

        Assert.Equal(RoundTrip.Echoed, await SendAsync("a", "c"));
        Assert.Equal(RoundTrip.Echoed, await SendAsync("c", "b"));
    }

    [Fact]
    public void EndPointOf_IsTheProxy_NotTheNode()
    {
        IPEndPoint advertised = _mesh.EndPointOf("a");
        Assert.Equal(IPAddress.Loopback, advertised.Address);
        Assert.NotEqual(_nodes["a"].EndPoint, advertised);
        Assert.Equal(_nodes["a"].EndPoint, _mesh.ProxyOf("a").Target);
    }

    [Fact]
    public void Faults_RejectUnknownNodesAndOverlappingSides_WithoutChangingAnything()
    {
        var unknown = Assert.Throws<ArgumentException>(() => _mesh.Partition(["a"], ["zz"]));
        Assert.Contains("'zz'", unknown.Message);
        var overlap = Assert.Throws<ArgumentException>(() => _mesh.Partition(["a", "b"], ["b", "c"]));
        Assert.Contains("'b'", overlap.Message);
        Assert.Throws<ArgumentException>(() => _mesh.OneWay("a", "a"));

        Assert.All(_mesh.Nodes, n => Assert.False(_mesh.ProxyOf(n).IsBlocked("a")));
    }

    private Task<RoundTrip> SendAsync(string from, string to) => _clients.FreshRoundTripAsync(_mesh.EndPointOf(to), from);
}
