using System.Net;

namespace RingRift.P2P.Testing.Faults;

/// <summary>
/// One <see cref="FaultProxy"/> in front of each node of a loopback cluster, with link faults named
/// by node id. Each node listens on its real port and advertises <see cref="EndPointOf"/>; a peer
/// reaching node X connects to X's proxy, which labels the peer by the identify function (node ids)
/// and enforces the blocks. "from → to" is the direction of the connections <c>from</c> opens (its
/// requests to <c>to</c> and their responses).
/// </summary>
/// <remarks>
/// Faults add up until <see cref="Heal"/>: <see cref="Partition"/>, <see cref="OneWay"/> and
/// <see cref="Isolate"/> only ever add blocks. Blocked links see resets, not silence (see
/// <see cref="FaultProxy"/>).
/// </remarks>
public sealed class ProxyMesh : IAsyncDisposable
{
    private readonly Dictionary<string, FaultProxy> _proxies;

    private ProxyMesh(Dictionary<string, FaultProxy> proxies) => _proxies = proxies;

    /// <summary>Node ids, in the order given to <see cref="Start"/>.</summary>
    public IReadOnlyCollection<string> Nodes => _proxies.Keys;

    /// <summary>
    /// Starts one proxy per node, each forwarding to that node's real endpoint.
    /// </summary>
    /// <param name="targetsByNode">Node id → the endpoint the node really listens on.</param>
    /// <param name="identifySource">Shared by all proxies: (client endpoint, proxy endpoint) → node id
    /// or null; typically <see cref="LoopbackConnectionOwner.Identifier"/> over a pid → node-id map.</param>
    /// <exception cref="ArgumentException">No nodes, or an empty node id.</exception>
    public static ProxyMesh Start(IReadOnlyDictionary<string, IPEndPoint> targetsByNode, Func<IPEndPoint, IPEndPoint, string?> identifySource, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(targetsByNode);
        ArgumentNullException.ThrowIfNull(identifySource);
        if (targetsByNode.Count == 0)
            throw new ArgumentException($"{nameof(targetsByNode)} has 0 nodes; allowed: at least 1.", nameof(targetsByNode));

        var proxies = new Dictionary<string, FaultProxy>(StringComparer.Ordinal);
        try
        {
            foreach ((string node, IPEndPoint target) in targetsByNode)
            {
                if (string.IsNullOrEmpty(node))
                    throw new ArgumentException($"{nameof(targetsByNode)} has an empty node id; allowed: non-empty ids.", nameof(targetsByNode));
                proxies.Add(node, new FaultProxy(target, identifySource, timeProvider));
            }
        }
        catch
        {
            foreach (FaultProxy proxy in proxies.Values) proxy.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }

        return new ProxyMesh(proxies);
    }

    /// <summary>The proxy in front of <paramref name="node"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="node"/> is not in the mesh.</exception>
    public FaultProxy ProxyOf(string node) => _proxies.TryGetValue(node, out FaultProxy? proxy)
        ? proxy
        : throw new ArgumentException($"{nameof(node)} is '{node}'; allowed: {string.Join(", ", _proxies.Keys)}.", nameof(node));

    /// <summary>The endpoint <paramref name="node"/> advertises to its peers (its proxy's).</summary>
    public IPEndPoint EndPointOf(string node) => ProxyOf(node).EndPoint;

    /// <summary>
    /// Two-way partition: no node of <paramref name="a"/> reaches a node of <paramref name="b"/> and
    /// no node of <paramref name="b"/> reaches a node of <paramref name="a"/>. Links inside each side
    /// and to nodes in neither are untouched.
    /// </summary>
    /// <exception cref="ArgumentException">An unknown node, or a node on both sides.</exception>
    public void Partition(IReadOnlyCollection<string> a, IReadOnlyCollection<string> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        foreach (string node in a.Concat(b)) ProxyOf(node); // validate before changing anything
        string? both = a.Intersect(b, StringComparer.Ordinal).FirstOrDefault();
        if (both is not null)
            throw new ArgumentException($"{nameof(a)} and {nameof(b)} both hold '{both}'; allowed: disjoint sides.", nameof(b));

        foreach (string to in b)
        {
            foreach (string from in a) _proxies[to].Block(from);
        }

        foreach (string to in a)
        {
            foreach (string from in b) _proxies[to].Block(from);
        }
    }

    /// <summary>
    /// One-way fault: connections <paramref name="from"/> opens to <paramref name="to"/> are reset
    /// (its requests fail), while <paramref name="to"/> still reaches <paramref name="from"/>.
    /// </summary>
    /// <exception cref="ArgumentException">An unknown node, or <paramref name="from"/> equals <paramref name="to"/>.</exception>
    public void OneWay(string from, string to)
    {
        ProxyOf(from);
        FaultProxy target = ProxyOf(to);
        if (from == to)
            throw new ArgumentException($"{nameof(from)} and {nameof(to)} are both '{from}'; allowed: two different nodes.", nameof(to));
        target.Block(from);
    }

    /// <summary>Partitions <paramref name="node"/> from every other node, both ways.</summary>
    public void Isolate(string node)
    {
        ProxyOf(node);
        Partition([node], _proxies.Keys.Where(n => n != node).ToArray());
    }

    /// <summary>Clears every block and delay on every proxy.</summary>
    public void Heal()
    {
        foreach (FaultProxy proxy in _proxies.Values) proxy.Heal();
    }

    /// <summary>Sets the same added latency on every proxy (zero: none).</summary>
    public void SetDelay(TimeSpan delay)
    {
        foreach (FaultProxy proxy in _proxies.Values) proxy.SetDelay(delay);
    }

    /// <summary>Disposes every proxy.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (FaultProxy proxy in _proxies.Values) await proxy.DisposeAsync().ConfigureAwait(false);
    }
}
