using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using RingRift.P2P.Node.Demo;

namespace RingRift.P2P.Bench;

/// <summary>
/// The soak's three node processes on 127.0.0.1 (free ports, one data folder each under <see cref="Root"/>),
/// in Raft or Bully mode. Nodes are SIGKILLed, stopped and started again on their data; every process it
/// ever started is killed by <see cref="Dispose"/>, also when the bench process exits some other way.
/// </summary>
public sealed class SoakCluster : IDisposable
{
    public const int Size = 3;

    private static readonly List<SoakCluster> Open = [];
    private readonly SoakMode _mode;
    private readonly Dictionary<string, string> _env;
    private readonly string? _program;
    private readonly int[] _httpPorts;
    private readonly List<string>[] _args = new List<string>[Size];
    private readonly ChildNode?[] _nodes = new ChildNode?[Size];
    private readonly long[] _startedAt = new long[Size];
    private readonly List<ChildNode> _retired = [];
    private readonly Lock _gate = new();
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(2) };
    private bool _disposed;

    static SoakCluster() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        lock (Open)
            foreach (var cluster in Open.ToList()) cluster.Dispose();
    };

    public SoakCluster(SoakMode mode, SoakOptions options, string root)
    {
        _mode = mode;
        _env = options.Environment(mode);
        _program = options.NodeProgram;
        Root = root;
        var ports = LoopbackPorts.Free(2 * Size);
        _httpPorts = ports[..Size];
        var raftPorts = ports[Size..];
        for (var i = 0; i < Size; i++)
        {
            var id = IdOf(i);
            var peers = string.Join(',', _httpPorts.Where(p => p != _httpPorts[i]).Select(p => $"127.0.0.1:{p}"));
            _args[i] = ["--node-id", id, "--host", "127.0.0.1", "--port", Text(_httpPorts[i]), "--peers", peers, "--data-dir", Path.Combine(root, id)];
            if (mode == SoakMode.Raft)
                _args[i].AddRange(["--raft-port", Text(raftPorts[i]), "--raft-peers", string.Join(',', raftPorts.Select(p => $"127.0.0.1:{p}"))]);
        }
        lock (Open) Open.Add(this);
    }

    /// <summary>The folder holding every node's data folder and log.</summary>
    public string Root { get; }

    public static string IdOf(int index) => $"node-{index + 1}";

    public string UrlOf(int index) => $"http://127.0.0.1:{_httpPorts[index]}";

    /// <summary>The URLs of the nodes whose process runs now (the clients pick among them).</summary>
    public IReadOnlyList<string> LiveUrls()
    {
        var live = new List<string>(Size);
        for (var i = 0; i < Size; i++)
            if (Volatile.Read(ref _nodes[i]) is { HasExited: false }) live.Add(UrlOf(i));
        return live;
    }

    public bool IsRunning(int index) => Volatile.Read(ref _nodes[index]) is { HasExited: false };

    /// <summary>Starts the node's process (again, on its data); refused while it runs or once disposed.</summary>
    public void Start(int index)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_nodes[index] is { HasExited: false }) throw new InvalidOperationException($"{IdOf(index)} is running");
            if (_nodes[index] is { } old) _retired.Add(old); // clients may still hold its URL; disposed at the end
            var node = ChildNode.Start(IdOf(index), _httpPorts[index], _args[index], Path.Combine(Root, IdOf(index) + ".log"), _env, _program);
            _startedAt[index] = Stopwatch.GetTimestamp();
            Volatile.Write(ref _nodes[index], node);
        }
    }

    /// <summary>SIGKILL, as a crash: the process gets no chance to clean up.</summary>
    public void Kill(int index) => _nodes[index]?.Kill();

    /// <summary>SIGTERM, and SIGKILL if it has not ended within 30 s.</summary>
    public Task StopAsync(int index) => _nodes[index]?.StopAsync(TimeSpan.FromSeconds(30)) ?? Task.CompletedTask;

    /// <summary>The node's process now: resident memory, threads, open files and how long it has run; null while it is down.</summary>
    public NodeReading? Read(int index)
    {
        var node = Volatile.Read(ref _nodes[index]);
        if (node is not { HasExited: false }) return null;
        try
        {
            var sample = ProcessSample.Read(node.ProcessId);
            return new NodeReading(IdOf(index), node.ProcessId, sample.RssBytes / (1024.0 * 1024), OpenFiles.Count(node.ProcessId), sample.Threads,
                Stopwatch.GetElapsedTime(_startedAt[index]).TotalSeconds);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return null; // it ended between the check and the read
        }
    }

    /// <summary>
    /// The leader every running node names, once all <see cref="Size"/> nodes run, answer, agree, the one named
    /// says it serves the queue and (Raft) every member is ready; null when that does not hold now.
    /// </summary>
    public async Task<int?> StableLeaderAsync(CancellationToken ct)
    {
        var views = await Task.WhenAll(Enumerable.Range(0, Size).Select(i => ViewAsync(i, ct)));
        if (views.Any(v => v is null || !v.Ready)) return null;
        var named = views.Select(v => v!.Leader).Distinct().ToList();
        if (named is not [{ } leader]) return null;
        var index = Array.FindIndex(views, v => v!.Node == leader);
        return index >= 0 && views[index]!.Leads ? index : null;
    }

    /// <summary>The leader the running nodes other than <paramref name="not"/> agree on; null when they do not (yet).</summary>
    public async Task<int?> LeaderAmongLiveAsync(int not, CancellationToken ct)
    {
        var indexes = Enumerable.Range(0, Size).Where(i => i != not && IsRunning(i)).ToList();
        var views = await Task.WhenAll(indexes.Select(i => ViewAsync(i, ct)));
        if (views.Length == 0 || views.Any(v => v is null)) return null;
        var named = views.Select(v => v!.Leader).Distinct().ToList();
        if (named is not [{ } leader] || leader == IdOf(not)) return null;
        var at = Array.FindIndex(views, v => v!.Node == leader);
        return at >= 0 && views[at]!.Leads ? indexes[at] : null;
    }

    /// <summary>Waits (polling every 50 ms) until <see cref="StableLeaderAsync"/> names a leader; throws after <paramref name="within"/>.</summary>
    public async Task<int> WaitStableAsync(TimeSpan within, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < within)
        {
            if (await StableLeaderAsync(ct) is { } leader) return leader;
            await Task.Delay(50, ct);
        }
        var logs = string.Join(", ", Enumerable.Range(0, Size).Select(i => Path.Combine(Root, IdOf(i) + ".log")));
        throw new TimeoutException($"{_mode}: no leader agreed by all {Size} nodes within {within.TotalSeconds:0} s (logs: {logs})");
    }

    /// <summary>How many items the leader's queue holds (<c>work_queue.total</c> of its /status); null when it does not answer.</summary>
    public async Task<long?> QueueTotalAsync(int leader, CancellationToken ct)
    {
        var status = await GetJsonAsync(UrlOf(leader) + "/status", ct);
        return status?["work_queue"]?["total"]?.GetValue<long>();
    }

    /// <summary>How many finished items the leader has pruned since it started (<c>work_retention.pruned</c> of its /status); null when it does not answer.</summary>
    public async Task<long?> PrunedAsync(int leader, CancellationToken ct)
    {
        var status = await GetJsonAsync(UrlOf(leader) + "/status", ct);
        return status?["work_retention"]?["pruned"]?.GetValue<long>();
    }

    private async Task<LeaderView?> ViewAsync(int index, CancellationToken ct)
    {
        if (!IsRunning(index)) return null;
        if (_mode == SoakMode.Raft)
        {
            var raft = (await GetJsonAsync(UrlOf(index) + "/raft/status", ct))?["node"];
            return raft is null ? null : new LeaderView(IdOf(index), raft["leader_id"]?.GetValue<string>(),
                raft["is_leader"]?.GetValue<bool>() == true, raft["ready"]?.GetValue<bool>() == true);
        }
        var status = await GetJsonAsync(UrlOf(index) + "/status", ct);
        return status is null ? null : new LeaderView(IdOf(index), status["leader_id"]?.GetValue<string>(),
            status["work_queue"]?["is_leader"]?.GetValue<bool>() == true, Ready: true);
    }

    private async Task<JsonNode?> GetJsonAsync(string url, CancellationToken ct)
    {
        try { return JsonNode.Parse(await _http.GetStringAsync(url, ct)); }
        catch (Exception e) when (e is HttpRequestException or JsonException || (e is TaskCanceledException && !ct.IsCancellationRequested)) { return null; }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
        }
        foreach (var node in _nodes.Concat(_retired)) node?.Dispose();
        _http.Dispose();
        lock (Open) Open.Remove(this);
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private sealed record LeaderView(string Node, string? Leader, bool Leads, bool Ready);
}
