using RingRift.P2P.Node.Cli;
using RingRift.P2P.Node.Jobs;
using RingRift.P2P.Node.Tests.Cluster;

namespace RingRift.P2P.Node.Tests.Orchestration;

/// <summary>
/// N node processes on 127.0.0.1 that run jobs from one jobs file (fast heartbeat timings, no GPUs).
/// Dispose stops the nodes, kills job processes they left running (jobs outlive their node on
/// purpose) and deletes the data.
/// </summary>
public sealed class JobProcessCluster : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "ringrift-jobs-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly List<string>[] _args;
    private readonly Dictionary<string, string> _env;

    public JobProcessCluster(int count, string jobsFile, IReadOnlyDictionary<string, string>? env = null)
    {
        HttpPorts = LoopbackPorts.Free(count);
        _env = InProcessCluster.FastTimings.ToDictionary(kv => kv.Key, kv => kv.Value!);
        _env["RINGRIFT_P2P_GPU_COUNT"] = "0";
        if (env is not null) foreach (var (k, v) in env) _env[k] = v;
        _args = new List<string>[count];
        Nodes = new ChildNode[count];
        for (var i = 0; i < count; i++)
        {
            var peers = string.Join(',', HttpPorts.Where(p => p != HttpPorts[i]).Select(p => $"127.0.0.1:{p}"));
            _args[i] = ["--node-id", IdOf(i), "--host", "127.0.0.1", "--port", HttpPorts[i].ToString(), "--data-dir", DataDirOf(i),
                "--peers", peers, "--jobs", jobsFile];
        }
        for (var i = 0; i < count; i++) Nodes[i] = ChildNode.Start(IdOf(i), HttpPorts[i], _args[i], Path.Combine(_root, IdOf(i) + ".log"), _env);
    }

    public int[] HttpPorts { get; }

    public ChildNode[] Nodes { get; }

    public static string IdOf(int index) => $"node-{index + 1}";

    public static int IndexOf(string nodeId) => int.Parse(nodeId["node-".Length..]) - 1;

    public string DataDirOf(int index) => Path.Combine(_root, IdOf(index));

    public string Root => _root;

    /// <summary>The leader every live node agrees on, within <paramref name="within"/>.</summary>
    public async Task<string> WaitForLeaderAsync(TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            var leaders = new HashSet<string?>();
            foreach (var node in Nodes.Where(n => !n.HasExited))
            {
                try { leaders.Add((await Http.GetAsync(node.Url + "/", "status")).Json?["leader_id"]?.GetValue<string>()); }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { leaders.Add(null); }
            }
            if (leaders.Count == 1 && leaders.First() is { } id) return id;
            await Task.Delay(100);
        }
        throw new TimeoutException("no agreed leader; logs:\n" + Logs());
    }

    public string Logs() => string.Join("\n----\n", Nodes.Select(n =>
    {
        try { var text = File.ReadAllText(n.LogPath); return n.NodeId + ":\n" + text[Math.Max(0, text.Length - 3000)..]; }
        catch (IOException) { return n.NodeId + ": (no log)"; }
    }));

    public void Dispose()
    {
        Task.WhenAll(Nodes.Where(n => !n.HasExited).Select(n => n.StopAsync(TimeSpan.FromSeconds(5)))).GetAwaiter().GetResult();
        foreach (var n in Nodes) n.Dispose();
        for (var i = 0; i < Nodes.Length; i++) JobFiles.KillRecordedJobs(DataDirOf(i)); // jobs outlive their node on purpose
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
