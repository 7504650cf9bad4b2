using System.Text.Json.Nodes;
using RingRift.P2P.Node.Cli;
using RingRift.P2P.Node.Demo;
using RingRift.P2P.Testing.Ports;
using RingRift.P2P.Testing.Processes;
using RingRift.P2P.Testing.Waiting;

namespace RingRift.P2P.Node.Tests.Cluster;

/// <summary>
/// N nodes as real child processes on 127.0.0.1 (so one can be killed with SIGKILL). Ports come from
/// <see cref="TestPorts"/>, the environment from <see cref="ChildEnvironment"/>, data from a folder of
/// its own. Dispose kills every process (also when the test failed) and deletes the data.
/// </summary>
public sealed class ProcessCluster : IDisposable
{
    /// <summary>Bound of a wait on the processes, sized for a loaded 2-core machine (start-up included).</summary>
    public static readonly TimeSpan ProcessWait = TimeSpan.FromSeconds(90);

    private readonly string _root = Path.Combine(Path.GetTempPath(), "ringrift-pc-" + Guid.NewGuid().ToString("N")[..8]);

    public List<ChildNode> Nodes { get; } = [];

    /// <summary>How each node was started (its port, arguments, log and environment), for <see cref="Restart"/>.</summary>
    private readonly Dictionary<string, (int Port, List<string> Args, string Log, IReadOnlyDictionary<string, string> Env)> _starts = [];

    /// <summary>
    /// Starts <paramref name="count"/> nodes. <paramref name="swim"/>: each node gets its own SWIM port
    /// and the others' as --swim-seeds; then, unless <paramref name="httpPeers"/>, no --peers at all, so
    /// nodes learn each other's HTTP endpoints from SWIM metadata only.
    /// </summary>
    public static ProcessCluster Start(int count, IReadOnlyDictionary<string, string>? env = null, bool swim = false, bool httpPeers = true)
    {
        var cluster = new ProcessCluster();
        try
        {
            var ports = TestPorts.Free(count);
            var swimPorts = swim ? TestPorts.Free(count) : null;
            var settings = new Dictionary<string, string?>(InProcessCluster.FastTimings);
            if (env is not null) foreach (var (k, v) in env) settings[k] = v;
            var environment = ChildEnvironment.Of(settings);
            for (var i = 0; i < count; i++)
            {
                var id = $"node-{i + 1}";
                var peers = string.Join(',', ports.Where(p => p != ports[i]).Select(p => $"127.0.0.1:{p}"));
                List<string> args = ["--node-id", id, "--host", "127.0.0.1", "--port", ports[i].ToString(), "--data-dir", Path.Combine(cluster._root, id)];
                if (httpPeers) args.AddRange(["--peers", peers]);
                if (swimPorts is not null)
                {
                    var swimSeeds = string.Join(',', swimPorts.Where(p => p != swimPorts[i]).Select(p => $"127.0.0.1:{p}"));
                    args.AddRange(["--swim-port", swimPorts[i].ToString(), "--swim-seeds", swimSeeds]);
                }
                cluster._starts[id] = (ports[i], args, Path.Combine(cluster._root, id + ".log"), environment);
                cluster.Nodes.Add(ChildNode.Start(id, ports[i], args, Path.Combine(cluster._root, id + ".log"), environment, TestNodeProgram.Path));
            }
            return cluster;
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Waits until every live node's /status names the same leader and that leader serves the queue;
    /// with <paramref name="expected"/>, until that leader is the node with this id; with
    /// <paramref name="not"/>, a leader other than that one. Returns the leader's id.
    /// </summary>
    public async Task<string> WaitForLeaderAsync(string? expected = null, string? not = null)
    {
        try
        {
            var poll = await Eventually.Until(
                () => ChildLeaderPoll.ReadAsync(Nodes),
                p => p.AgreedLeader is { } id && id != not && (expected is null || id == expected),
                $"one leader{(expected is null ? "" : " " + expected)}{(not is null ? "" : " other than " + not)} named by every live node and serving the queue",
                ProcessWait);
            return poll.AgreedLeader!;
        }
        catch (WaitTimedOutException e)
        {
            throw new WaitTimedOutException($"{e.Message}\nlogs:\n{ChildLogs.Tails(Nodes)}");
        }
    }

    /// <summary>
    /// Starts an exited node again as it first started (same id, port, data folder and environment; its log goes
    /// on in the same file); the new process replaces it in <see cref="Nodes"/>.
    /// </summary>
    public ChildNode Restart(ChildNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (!node.HasExited) throw new InvalidOperationException($"{node.NodeId} is still running");
        var (port, args, log, env) = _starts[node.NodeId];
        node.Dispose();
        var again = ChildNode.Start(node.NodeId, port, args, log, env, TestNodeProgram.Path);
        Nodes[Nodes.IndexOf(node)] = again;
        return again;
    }

    public static async Task<JsonNode?> StatusAsync(ChildNode node) => (await Http.GetAsync(node.Url + "/", "status")).Json;

    public void Dispose()
    {
        var failures = new List<Exception>();
        foreach (var n in Nodes)
        {
            try { n.Dispose(); } catch (Exception e) { failures.Add(e); } // kill the others all the same
        }
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        if (failures.Count > 0) throw new AggregateException("killing the node processes failed", failures);
    }
}
