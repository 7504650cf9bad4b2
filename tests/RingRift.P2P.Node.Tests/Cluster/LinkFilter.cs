using System.Collections.Concurrent;

namespace RingRift.P2P.Node.Tests.Cluster;

/// <summary>
/// A partition switch for in-process nodes: every node's outgoing HTTP goes through
/// <see cref="Handler"/>, which fails calls on a cut link as a dead network would.
/// </summary>
public sealed class LinkFilter
{
    private readonly ConcurrentDictionary<(int FromPort, int ToPort), byte> _cut = new();

    public void CutBothWays(int a, int b)
    {
        _cut[(a, b)] = 0;
        _cut[(b, a)] = 0;
    }

    /// <summary>Cuts every link between the two groups, both ways.</summary>
    public void Partition(IEnumerable<int> groupA, IEnumerable<int> groupB)
    {
        var b = groupB.ToArray();
        foreach (var x in groupA)
            foreach (var y in b) CutBothWays(x, y);
    }

    public void HealAll() => _cut.Clear();

    public bool IsCut(int fromPort, int toPort) => _cut.ContainsKey((fromPort, toPort));

    public HttpMessageHandler Handler(int ownerPort) => new FilteringHandler(this, ownerPort)
    {
        InnerHandler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(1) },
    };

    private sealed class FilteringHandler(LinkFilter filter, int ownerPort) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            request.RequestUri is { } uri && filter.IsCut(ownerPort, uri.Port)
                ? Task.FromException<HttpResponseMessage>(new HttpRequestException($"link {ownerPort}->{uri.Port} is cut by the test"))
                : base.SendAsync(request, cancellationToken);
    }
}
