using System.Collections.Concurrent;
using System.Globalization;
using RingRift.P2P.Testing.Waiting;

namespace RingRift.P2P.Testing.Netns;

/// <summary>
/// One SWIM node process per host of a <see cref="NetnsTestBed"/>, every host a seed of every other, with a
/// <see cref="SwimDeathWatch"/> over the live ones from the start. Kills (SIGKILL) measure detection from
/// the survivors' own <c>state_changed_at</c> (same machine, same clock); a killed node can be started
/// again in its host under a new id. Shared by the namespace tests and the <c>netns-swim</c> bench.
/// </summary>
public sealed class NetnsSwimCluster : IDisposable
{
    private readonly NetnsTestBed _bed;
    private readonly string _root;
    private readonly NetnsProgram _program;
    private readonly IReadOnlyDictionary<string, string?>? _settings;
    private readonly IReadOnlyDictionary<int, IReadOnlyDictionary<string, string?>> _hostSettings;
    private readonly NetnsNode?[] _nodes;
    private readonly ConcurrentDictionary<string, bool> _killed = new();
    private readonly ConcurrentDictionary<string, bool> _cutOff = new();

    private NetnsSwimCluster(NetnsTestBed bed, string root, NetnsProgram program, IReadOnlyDictionary<string, string?>? settings,
        IReadOnlyDictionary<int, IReadOnlyDictionary<string, string?>>? hostSettings)
    {
        _bed = bed;
        _root = root;
        _program = program;
        _settings = settings;
        _hostSettings = hostSettings ?? new Dictionary<int, IReadOnlyDictionary<string, string?>>();
        _nodes = new NetnsNode?[bed.Hosts.Count];
        Watch = new SwimDeathWatch(() => Live, (observer, member) => _killed.ContainsKey(member) || _cutOff.ContainsKey(member) || _cutOff.ContainsKey(observer));
    }

    /// <summary>Watches for live nodes marked dead since the cluster started.</summary>
    public SwimDeathWatch Watch { get; }

    /// <summary>The nodes running now, in host order.</summary>
    public IReadOnlyList<NetnsNode> Live => [.. _nodes.OfType<NetnsNode>()];

    /// <summary>The node running in host <paramref name="index"/> (0-based), if any.</summary>
    public NetnsNode this[int index] => _nodes[index] ?? throw new InvalidOperationException($"no node runs in host {index + 1}");

    /// <summary>
    /// Starts a node in every host of <paramref name="bed"/> (data and logs under <paramref name="root"/>,
    /// RINGRIFT_ settings <paramref name="settings"/> on top of SWIM's, and for host index i (0-based) the variables
    /// <paramref name="hostSettings"/>[i] on top of those, whenever a node starts there) and waits until each
    /// serves HTTP and sees every other alive.
    /// </summary>
    public static async Task<NetnsSwimCluster> StartAsync(NetnsTestBed bed, string root, NetnsProgram program,
        IReadOnlyDictionary<string, string?>? settings = null, IReadOnlyDictionary<int, IReadOnlyDictionary<string, string?>>? hostSettings = null)
    {
        ArgumentNullException.ThrowIfNull(bed);
        var cluster = new NetnsSwimCluster(bed, root, program, settings, hostSettings);
        try
        {
            for (var i = 0; i < bed.Hosts.Count; i++) cluster._nodes[i] = NetnsNode.StartSwim(bed, bed.Hosts[i], bed.Hosts, root, program, cluster.SettingsOf(i));
            await Task.WhenAll(cluster.Live.Select(n => n.WaitUntilServingAsync())).ConfigureAwait(false);
            await cluster.WaitAllSeeAllAliveAsync(NetnsNode.ProcessWait).ConfigureAwait(false);
            return cluster;
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Tells the watch that <paramref name="node"/> is about to be cut off (it hears nobody, or nobody hears it):
    /// from now on its marks of others and others' marks of it are no false deaths.
    /// </summary>
    public void ExpectCutOff(NetnsNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        _cutOff[node.Id] = true;
    }

    /// <summary>Waits until every live node sees every other live node alive (killed members may stay dead).</summary>
    public async Task WaitAllSeeAllAliveAsync(TimeSpan within)
    {
        var live = Live;
        foreach (var node in live)
        {
            var others = live.Where(n => n != node).Select(n => n.Id).ToList();
            await Eventually.Until(node.SwimMembersAsync, m => others.All(id => m.TryGetValue(id, out var v) && v.State == "alive"),
                $"{node.Id} to see {string.Join(", ", others)} alive", within).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// SIGKILLs the node in host <paramref name="index"/> and waits until every other live node marks it dead;
    /// returns each one's time from the kill to its mark, in seconds, by node id.
    /// </summary>
    /// <exception cref="WaitTimedOutException">Some node did not mark it dead within <paramref name="within"/>.</exception>
    public async Task<IReadOnlyDictionary<string, double>> KillAndAwaitDetectionAsync(int index, TimeSpan within)
    {
        var victim = this[index];
        _killed[victim.Id] = true; // before the kill: the watch must never take its death for a false one
        var killedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        victim.Process.Kill();
        _nodes[index] = null;
        var detections = new Dictionary<string, double>();
        foreach (var node in Live)
        {
            var members = await Eventually.Until(node.SwimMembersAsync, m => m.TryGetValue(victim.Id, out var v) && v.State == "dead",
                $"{node.Id} to mark {victim.Id} dead", within).ConfigureAwait(false);
            detections[node.Id] = members[victim.Id].StateChangedAt - killedAt;
        }

        return detections;
    }

    /// <summary>Starts a node again in the empty host <paramref name="index"/> under <paramref name="id"/>, seeded with every other host, and waits until it serves HTTP.</summary>
    public async Task<NetnsNode> RestartAsync(int index, string id)
    {
        if (_nodes[index] is not null) throw new InvalidOperationException($"host {index + 1} still runs {_nodes[index]!.Id}");
        var node = NetnsNode.StartSwim(_bed, _bed.Hosts[index], _bed.Hosts, _root, _program, SettingsOf(index), id);
        _nodes[index] = node;
        await node.WaitUntilServingAsync().ConfigureAwait(false);
        return node;
    }

    /// <summary>The sum of one SWIM protocol counter (<see cref="NetnsNode.SwimCounterAsync"/>) over the live nodes.</summary>
    public async Task<long> SumCounterAsync(string name) => (await Task.WhenAll(Live.Select(n => n.SwimCounterAsync(name))).ConfigureAwait(false)).Sum();

    /// <summary>The last lines of every live node's log, for a failure message.</summary>
    public string LogTails(int lines = 15) => string.Join("\n", Live.Select(n => $"--- {n.Id}:\n{n.Process.LogTail(lines)}"));

    /// <summary>Seconds by node id as "node-1 3.21 s, …".</summary>
    public static string Describe(IReadOnlyDictionary<string, double> seconds) =>
        string.Join(", ", seconds.Select(d => string.Create(CultureInfo.InvariantCulture, $"{d.Key} {d.Value:0.00} s")));

    private IReadOnlyDictionary<string, string?>? SettingsOf(int index)
    {
        if (!_hostSettings.TryGetValue(index, out var own)) return _settings;
        var merged = new Dictionary<string, string?>(_settings ?? new Dictionary<string, string?>());
        foreach (var (name, value) in own) merged[name] = value;
        return merged;
    }

    /// <summary>Stops the watch; the test bed kills the processes.</summary>
    public void Dispose() => Watch.Dispose();
}
